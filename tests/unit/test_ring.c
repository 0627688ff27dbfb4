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
	struct cap_ring *r = cap_ring_new(12);	/* 4096 bytes */
	struct cap_slot *s;
	unsigned i, n;

	(void)state;
	assert_int_equal(cap_ring_size(r), 4096);
	assert_null(cap_ring_peek(r));
	/* 100-byte frames take 192 bytes each (header, rounded to lines): 21 fit. */
	for (n = 0; (s = cap_ring_reserve(r, 100)) != NULL; n++) {
		s->frameno = n;
		s->caplen = 100;
		s->pkt = s->data;	/* as the capture thread sets it */
		memset(s->data, (int)n, 100);
		cap_ring_commit(r);
	}
	assert_int_equal(n, 21);
	assert_int_equal(cap_ring_used(r), 21 * 192);
	for (i = 0; i < n; i++) {
		s = cap_ring_peek(r);
		assert_non_null(s);
		assert_int_equal(s->frameno, i);
		assert_int_equal(s->data[99], (uint8_t)i);
		cap_ring_release(r);
	}
	assert_null(cap_ring_peek(r));
	assert_int_equal(cap_ring_used(r), 0);
	/* Wraps around with frames of every size, the largest too. */
	for (i = 0; i < 500; i++) {
		uint32_t len = (i * 97) % (CAP_SLOT_DATA + 1);

		s = cap_ring_reserve(r, len);
		assert_non_null(s);
		s->frameno = 100 + i;
		s->caplen = len;
		s->pkt = s->data;
		if (len > 0)
			s->data[len - 1] = (uint8_t)i;
		cap_ring_commit(r);
		s = cap_ring_peek(r);
		assert_non_null(s);
		assert_int_equal(s->frameno, 100 + i);
		if (len > 0)
			assert_int_equal(s->data[len - 1], (uint8_t)i);
		cap_ring_release(r);
	}
	/* Two of the largest never fit in 4096 bytes, wherever the first lands. */
	s = cap_ring_reserve(r, CAP_SLOT_DATA);
	assert_non_null(s);
	cap_ring_commit(r);
	assert_null(cap_ring_reserve(r, CAP_SLOT_DATA));
	cap_ring_free(r);
}

#define N_ITEMS 2000000u

static void *
producer(void *arg)
{
	struct cap_ring *r = arg;
	uint32_t i = 0;

	while (i < N_ITEMS) {
		uint32_t len = (i * 2654435761u) % 600, v = i * 2654435761u;
		struct cap_slot *s = cap_ring_reserve(r, len);

		if (s == NULL)
			continue;
		s->frameno = i;
		s->caplen = len;
		s->pkt = s->data;
		s->wirelen = v;		/* a value derived from i */
		if (len >= 4)
			memcpy(s->data + len - 4, &v, 4);
		cap_ring_commit(r);
		i++;
	}
	return NULL;
}

static void
test_two_threads(void **state)
{
	struct cap_ring *r = cap_ring_new(13);
	pthread_t t;
	uint32_t expect = 0;

	(void)state;
	assert_int_equal(pthread_create(&t, NULL, producer, r), 0);
	while (expect < N_ITEMS) {
		struct cap_slot *s = cap_ring_peek(r);

		if (s == NULL)
			continue;
		uint32_t v = expect * 2654435761u, tail = 0;

		/* Every item once, in order, with its header and frame intact. */
		if (s->caplen >= 4)
			memcpy(&tail, s->data + s->caplen - 4, 4);
		if (s->frameno != expect || s->wirelen != v || s->caplen != v % 600 ||
		    (s->caplen >= 4 && tail != v))
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
