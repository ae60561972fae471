/* Nothing is exported: the whole kernel side is one link unit whose only
 * global symbols are chosen at link time (see docs/hosted-build.md). */
#ifndef _LINUX_EXPORT_H
#define _LINUX_EXPORT_H
struct module;
extern struct module __this_module;
#define THIS_MODULE (&__this_module)
#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#define EXPORT_SYMBOL_NS(sym, ns)
#define EXPORT_SYMBOL_NS_GPL(sym, ns)
#endif
