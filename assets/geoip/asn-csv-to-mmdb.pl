#!/usr/bin/perl
# Convert ip-location-db's ASN CSV files (first_ip,last_ip,asn,"org") into
# one .mmdb in the GeoLite2-ASN layout (autonomous_system_number,
# autonomous_system_organization), so that lookups/geo.c reads it the same
# way as MaxMind's own ASN database.
#
# usage: asn-csv-to-mmdb.pl OUT.mmdb IN.csv [IN.csv ...]
#
# Lines that do not parse are counted and skipped rather than fatal: the
# input comes from a registry package and a bad line should not cost the
# user the whole database.
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

die "usage: $0 OUT.mmdb IN.csv [IN.csv ...]\n" if @ARGV < 2;
my ($out, @in) = @ARGV;

my %types = (
	autonomous_system_number => 'uint32',
	autonomous_system_organization => 'utf8_string',
);
my $tree = MaxMind::DB::Writer::Tree->new(
	ip_version => 6,
	record_size => 28,
	database_type => 'ip-location-db-ASN',
	languages => ['en'],
	description => { en => 'ASN from @ip-location-db/asn (CC-BY-4.0: RouteViews, DB-IP, NRO)' },
	map_key_type_callback => sub { $types{ $_[0] } },
	alias_ipv6_to_ipv4 => 1,
	# The CSV has no reserved space worth keeping; dropping it keeps the
	# writer from refusing ranges that overlap 10/8 etc.
	remove_reserved_networks => 1,
	merge_strategy => 'none',
);

my ($n, $bad) = (0, 0);
my %org;	# one Perl string per organisation, shared by its ranges
for my $file (@in) {
	open(my $fh, '<:encoding(UTF-8)', $file) or die "$file: $!\n";
	while (my $line = <$fh>) {
		$line =~ s/\r?\n\z//;
		my ($first, $last, $asn, $name) =
		    $line =~ /^([0-9A-Fa-f.:]+),([0-9A-Fa-f.:]+),(\d+),(.*)\z/;
		if (!defined $name || $asn > 4294967295) {
			$bad++;
			next;
		}
		if ($name =~ /^"(.*)"\z/) {
			($name = $1) =~ s/""/"/g;
		}
		$name = $org{$name} //= $name;
		eval {
			$tree->insert_range($first, $last, {
			    autonomous_system_number => $asn + 0,
			    autonomous_system_organization => $name });
			1;
		} or do {
			# The writer refuses a few ranges (reserved space it keeps
			# out): say which, once each, and go on.
			printf STDERR "asn-csv-to-mmdb: %s line %d skipped: %s", $file, $.,
			    $@ =~ s/ at \/.*//sr . "\n" if $bad < 5;
			$bad++;
			next;
		};
		$n++;
	}
	close($fh);
}
my $tmp = "$out.tmp.$$";
open(my $o, '>:raw', $tmp) or die "$tmp: $!\n";
$tree->write_tree($o);
close($o) or die "$tmp: $!\n";
rename($tmp, $out) or die "rename $tmp: $!\n";
printf STDERR "asn-csv-to-mmdb: %d ranges, %d skipped, %d organisations -> %s\n",
    $n, $bad, scalar(keys %org), $out;
