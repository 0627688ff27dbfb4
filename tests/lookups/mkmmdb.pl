#!/usr/bin/perl
# Build the GeoIP test databases with Debian's libmaxmind-db-writer-perl:
#
#   city.mmdb       GeoLite2-City layout (country.iso_code, city.names.en)
#   asn.mmdb        GeoLite2-ASN / ip-location-db ASN layout
#   iplocdb.mmdb    ip-location-db city layout (country_code, city as a string)
#   bad-tree.mmdb   city.mmdb with its search tree overwritten
#   bad-data.mmdb   city.mmdb with its data section overwritten
#   truncated.mmdb  city.mmdb cut in half (its metadata is gone)
#   garbage.mmdb    4 KiB that are no database at all
#
# usage: mkmmdb.pl OUTDIR
use strict;
use warnings;
use utf8;
use MaxMind::DB::Writer::Tree;
use MaxMind::DB::Reader;

my $dir = shift or die "usage: $0 OUTDIR\n";

sub build {
	my ($file, $type, $types, @nets) = @_;
	my $tree = MaxMind::DB::Writer::Tree->new(
		ip_version => 6,
		record_size => 24,
		database_type => $type,
		languages => ['en'],
		description => { en => "ntpsleuth test database ($type)" },
		map_key_type_callback => sub { $types->{ $_[0] } // 'utf8_string' },
		alias_ipv6_to_ipv4 => 1,
		remove_reserved_networks => 0,
	);
	while (my ($net, $data) = splice(@nets, 0, 2)) {
		$tree->insert_network($net, $data);
	}
	open(my $fh, '>:raw', "$dir/$file") or die "$dir/$file: $!\n";
	$tree->write_tree($fh);
	close($fh) or die "$dir/$file: $!\n";
}

my %city_types = (
	country => 'map', registered_country => 'map', city => 'map',
	names => 'map', iso_code => 'utf8_string', en => 'utf8_string',
	geoname_id => 'uint32',
);
build('city.mmdb', 'GeoLite2-City', \%city_types,
	'81.2.69.0/24' => {
		country => { iso_code => 'GB', names => { en => 'United Kingdom' } },
		city => { names => { en => 'London' }, geoname_id => 2643743 } },
	'2a02:2f0::/32' => {
		country => { iso_code => 'RO', names => { en => 'Romania' } },
		city => { names => { en => "Bucure\x{219}ti" } } },
	'89.160.20.0/24' => {
		country => { iso_code => 'SE', names => { en => 'Sweden' } },
		city => { names => { en => "Link\x{1b}[31m\x{f6}ping" } } },
	# Only a registered country (as for anycast networks).
	'45.10.0.0/24' => {
		registered_country => { iso_code => 'AU', names => { en => 'Australia' } } },
	# A hostile country code: must be ignored.
	'45.11.0.0/24' => {
		country => { iso_code => "\x{1b}A", names => { en => 'Nowhere' } } },
);

build('asn.mmdb', 'GeoLite2-ASN',
	{ autonomous_system_number => 'uint32',
	  autonomous_system_organization => 'utf8_string' },
	'81.2.69.0/24' => { autonomous_system_number => 20712,
	    autonomous_system_organization => 'Andrews & Arnold Ltd' },
	'1.1.1.0/24' => { autonomous_system_number => 13335,
	    autonomous_system_organization => 'Cloudflare, Inc.' },
	'2606:4700::/32' => { autonomous_system_number => 13335,
	    autonomous_system_organization => "Cloudflare\x{1b}[0m, Inc." },
);

build('iplocdb.mmdb', 'ip-location-db-city',
	{ country_code => 'utf8_string', city => 'utf8_string', state1 => 'utf8_string' },
	'133.243.0.0/16' => { country_code => 'JP', state1 => 'Tokyo', city => 'Koganei' },
	'1.1.1.0/24' => { country_code => 'AU', city => 'Sydney' },
);

# The damaged copies.
my $m = MaxMind::DB::Reader->new(file => "$dir/city.mmdb")->metadata;
my $tree_size = $m->node_count * $m->record_size * 2 / 8;
open(my $in, '<:raw', "$dir/city.mmdb") or die "$!\n";
my $good = do { local $/; <$in> };
close($in);
my $marker = rindex($good, "\xab\xcd\xefMaxMind.com");
die "no metadata marker\n" if $marker < 0;

sub put {
	my ($file, $bytes) = @_;
	open(my $fh, '>:raw', "$dir/$file") or die "$dir/$file: $!\n";
	print $fh $bytes;
	close($fh) or die "$dir/$file: $!\n";
}

my $bad = $good;
substr($bad, 0, $tree_size) = "\xff" x $tree_size;
put('bad-tree.mmdb', $bad);
$bad = $good;
my $data_start = $tree_size + 16;
substr($bad, $data_start, $marker - $data_start) = "\xff" x ($marker - $data_start);
put('bad-data.mmdb', $bad);
put('truncated.mmdb', substr($good, 0, int(length($good) / 2)));
srand(42);
put('garbage.mmdb', join('', map { chr(int(rand(256))) } 1 .. 4096));
print "built test databases in $dir (tree $tree_size bytes, data to $marker)\n";
