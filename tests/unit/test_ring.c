/* The capture ring: order, fullness, and a two-thread run. */
#include "config.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "capture/ring.h"

static void
test_fill_and_drain(void **state)
{
	struct cap_ring *r = cap_ring_new(3);
	struct cap_slot *s;
	unsigned i;

	(void)state;
	assert_int_equal(cap_ring_size(r), 8);
	assert_null(cap_ring_peek(r));
	for (i = 0; i < 8; i++) {
		s = cap_ring_reserve(r);
		assert_non_null(s);
		s->frameno = i;
		cap_ring_commit(r);
	}
	/* Full: a ninth does not fit. */
	assert_null(cap_ring_reserve(r));
	assert_int_equal(cap_ring_used(r), 8);
	for (i = 0; i < 8; i++) {
		s = cap_ring_peek(r);
		assert_non_null(s);
		assert_int_equal(s->frameno, i);
		cap_ring_release(r);
	}
	assert_null(cap_ring_peek(r));
	/* Wraps around. */
	for (i = 0; i < 20; i++) {
		s = cap_ring_reserve(r);
		assert_non_null(s);
		s->frameno = 100 + i;
		cap_ring_commit(r);
		s = cap_ring_peek(r);
		assert_int_equal(s->frameno, 100 + i);
		cap_ring_release(r);
	}
	cap_ring_free(r);
}

#define N_ITEMS 2000000u

static void *
producer(void *arg)
{
	struct cap_ring *r = arg;
	uint32_t i = 0;

	while (i < N_ITEMS) {
		struct cap_slot *s = cap_ring_reserve(r);

		if (s == NULL)
			continue;
		s->frameno = i;
		s->caplen = i * 2654435761u;	/* a value derived from i */
		cap_ring_commit(r);
		i++;
	}
	return NULL;
}

static void
test_two_threads(void **state)
{
	struct cap_ring *r = cap_ring_new(6);
	pthread_t t;
	uint32_t expect = 0;

	(void)state;
	assert_int_equal(pthread_create(&t, NULL, producer, r), 0);
	while (expect < N_ITEMS) {
		struct cap_slot *s = cap_ring_peek(r);

		if (s == NULL)
			continue;
		/* Every item once, in order, with its payload intact. */
		if (s->frameno != expect || s->caplen != expect * 2654435761u)
			fail_msg("item %u: got frame %u", expect, s->frameno);
		cap_ring_release(r);
		expect++;
	}
	pthread_join(t, NULL);
	assert_null(cap_ring_peek(r));
	cap_ring_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fill_and_drain),
		cmocka_unit_test(test_two_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
