/*
 * The replay clock: which capture time a file replay has reached, given
 * the wall clock, the speed and pauses. The console feeds the analysis
 * every packet stamped at or before that time (session_pump's until_ts).
 *
 * The clock is a line through one anchor point (capture time, wall time);
 * every change of speed or pause moves the anchor to the current position
 * so that the position never jumps.
 */
#include "config.h"

#include "tui/tui.h"

#define SPEED_MIN (1.0 / 64)
#define SPEED_MAX 1024.0

void
tui_pace_init(struct tui_pace *p, double speed)
{
	p->speed = speed;
	p->paused = false;
	p->anchored = false;
	p->cap_anchor = 0;
	p->wall_anchor = 0;
}

void
tui_pace_anchor(struct tui_pace *p, double cap_ts, double wall_now)
{
	p->anchored = true;
	p->cap_anchor = cap_ts;
	p->wall_anchor = wall_now;
}

double
tui_pace_position(const struct tui_pace *p, double wall_now)
{
	if (!p->anchored)
		return 0;
	if (p->paused || p->speed <= 0)
		return p->cap_anchor;
	return p->cap_anchor + (wall_now - p->wall_anchor) * p->speed;
}

static void
reanchor(struct tui_pace *p, double wall_now)
{
	if (p->anchored)
		tui_pace_anchor(p, tui_pace_position(p, wall_now), wall_now);
}

void
tui_pace_set_speed(struct tui_pace *p, double speed, double wall_now)
{
	reanchor(p, wall_now);
	p->speed = speed;
}

void
tui_pace_pause(struct tui_pace *p, bool paused, double wall_now)
{
	reanchor(p, wall_now);
	p->paused = paused;
}

void
tui_pace_jump(struct tui_pace *p, double cap_ts, double wall_now)
{
	tui_pace_anchor(p, cap_ts, wall_now);
}

double
tui_pace_due_in(const struct tui_pace *p, double cap_ts, double wall_now)
{
	double pos;

	if (p->speed <= 0 && !p->paused)
		return 0;
	if (!p->anchored)
		return 0;
	pos = tui_pace_position(p, wall_now);
	if (cap_ts <= pos)
		return 0;
	if (p->paused)
		return -1;
	return (cap_ts - pos) / p->speed;
}

double
tui_pace_faster(double speed)
{
	if (speed <= 0)
		return 0;
	if (speed >= SPEED_MAX)
		return 0;
	return speed * 2;
}

double
tui_pace_slower(double speed)
{
	if (speed <= 0)
		return SPEED_MAX;
	if (speed <= SPEED_MIN)
		return SPEED_MIN;
	return speed / 2;
}
