#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/types.h>

#ifdef HAVE_LIBCAPNG
#include <cap-ng.h>
#endif

#include "common/priv.h"

const char *
ns_priv_default_user(void)
{
	return getpwnam("ntpsleuth") != NULL ? "ntpsleuth" : "nobody";
}

int
ns_priv_drop(const char *user, char *err, size_t errlen)
{
	struct passwd *pw;

	if (geteuid() != 0) {
#ifdef HAVE_LIBCAPNG
		/* Capabilities given to the binary (setcap cap_net_raw+ep) go now. */
		capng_clear(CAPNG_SELECT_BOTH);
		if (capng_apply(CAPNG_SELECT_BOTH) != 0) {
			snprintf(err, errlen, "cannot give up capabilities");
			return -1;
		}
#endif
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		return 0;
	}
	pw = getpwnam(user);
	if (pw == NULL) {
		snprintf(err, errlen, "-Z %s: no such user", user);
		return -1;
	}
	if (pw->pw_uid == 0)
		return 0;	/* asked to stay root */
#ifdef HAVE_LIBCAPNG
	capng_clear(CAPNG_SELECT_BOTH);
	if (capng_change_id((int)pw->pw_uid, (int)pw->pw_gid,
	    CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING) != 0) {
		snprintf(err, errlen, "cannot become user %s", user);
		return -1;
	}
#else
	if (setgroups(0, NULL) != 0 || setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) != 0 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) != 0) {
		snprintf(err, errlen, "cannot become user %s: %s", user, strerror(errno));
		return -1;
	}
#endif
	/* No way back. */
	if (setuid(0) == 0 || seteuid(0) == 0) {
		snprintf(err, errlen, "could regain root after becoming %s", user);
		return -1;
	}
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	return 0;
}
