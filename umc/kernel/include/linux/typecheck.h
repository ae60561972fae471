#ifndef _LINUX_TYPECHECK_H
#define _LINUX_TYPECHECK_H
/* 1, with a compiler warning when x is not of the given type. */
#define typecheck(type, x) ({ type __dummy; typeof(x) __dummy2; (void)(&__dummy == &__dummy2); 1; })
#define typecheck_fn(type, function) ({ typeof(type) __tmp = function; (void)__tmp; })
#endif
