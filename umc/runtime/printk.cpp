// printk.cpp - the kernel's formatter and log sink (umc/printk.h).
//
// The format string is walked once: the kernel's %p extensions are
// rendered here, every other conversion is rebuilt as a one-conversion
// format and handed to the C library's snprintf with the argument taken
// from the va_list according to its length modifier.
#include <arpa/inet.h>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <cwchar>
#include <algorithm>
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <mutex>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>

#include "runtime.hpp"
#include "umc/printk.h"
#include "umc/time.h"

namespace umc {
namespace {

umc_printk_ext_fn g_ext[128];

// Output with truncation that still counts the full length.
struct Out {
	char *buf;
	size_t size;
	size_t len = 0;
	void put(char c)
	{
		if (len + 1 < size)
			buf[len] = c;
		len++;
	}
	void put(const char *s, size_t n)
	{
		for (size_t i = 0; i < n; i++)
			put(s[i]);
	}
	void put(const std::string &s) { put(s.data(), s.size()); }
};

struct Spec {
	bool left = false;
	int width = -1;
};

void put_padded(Out &o, const Spec &sp, const std::string &s)
{
	size_t pad = sp.width > 0 && static_cast<size_t>(sp.width) > s.size() ? sp.width - s.size() : 0;
	if (!sp.left)
		o.put(std::string(pad, ' '));
	o.put(s);
	if (sp.left)
		o.put(std::string(pad, ' '));
}

std::string ip4(const uint8_t *a, bool leading_zeros)
{
	char b[20];
	if (leading_zeros)
		std::snprintf(b, sizeof b, "%03u.%03u.%03u.%03u", a[0], a[1], a[2], a[3]);
	else
		std::snprintf(b, sizeof b, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	return b;
}

std::string ip6(const uint8_t *a, bool compressed, bool colons)
{
	char b[INET6_ADDRSTRLEN + 8];
	if (compressed) {
		inet_ntop(AF_INET6, a, b, sizeof b);
		return b;
	}
	std::string s;
	for (int i = 0; i < 16; i += 2) {
		if (colons && i)
			s += ':';
		std::snprintf(b, sizeof b, "%02x%02x", a[i], a[i + 1]);
		s += b;
	}
	return s;
}

// %pIS[p][c]: struct sockaddr (Linux layout = host layout).
std::string ip_sa(const void *p, const char *ext)
{
	bool port = std::strchr(ext, 'p');
	bool compressed = std::strchr(ext, 'c');
	auto *sa = static_cast<const sockaddr *>(p);
	if (sa->sa_family == AF_INET) {
		auto *in = static_cast<const sockaddr_in *>(p);
		std::string s = ip4(reinterpret_cast<const uint8_t *>(&in->sin_addr), false);
		if (port)
			s += ":" + std::to_string(ntohs(in->sin_port));
		return s;
	}
	if (sa->sa_family == AF_INET6) {
		auto *in6 = static_cast<const sockaddr_in6 *>(p);
		std::string a = ip6(reinterpret_cast<const uint8_t *>(&in6->sin6_addr), compressed, true);
		if (port)
			return "[" + a + "]:" + std::to_string(ntohs(in6->sin6_port));
		return a;
	}
	return "(invalid address)";
}

std::string hexptr(const void *p)
{
	char b[24];
	std::snprintf(b, sizeof b, "%016lx", reinterpret_cast<unsigned long>(p));
	return b;
}

// The main executable's full symbol table (.symtab), loaded once: DRBD's
// callbacks are static functions, which dladdr (dynamic symbols only) cannot
// name.  Empty when the executable is stripped.
struct SymTab {
	struct Sym {
		uintptr_t addr;
		size_t size;
		std::string name;
	};
	std::vector<Sym> syms; // sorted by addr
	void load()
	{
		uintptr_t bias = 0;
		dl_iterate_phdr(
			[](struct dl_phdr_info *info, size_t, void *data) {
				*static_cast<uintptr_t *>(data) = info->dlpi_addr;
				return 1; // the first entry is the main program
			},
			&bias);
		int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return;
		struct stat st;
		if (fstat(fd, &st) == 0 && st.st_size > static_cast<off_t>(sizeof(Elf64_Ehdr))) {
			size_t size = static_cast<size_t>(st.st_size);
			void *m = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
			if (m != MAP_FAILED) {
				parse(static_cast<const char *>(m), size, bias);
				munmap(m, size);
			}
		}
		close(fd);
		std::sort(syms.begin(), syms.end(), [](const Sym &a, const Sym &b) { return a.addr < b.addr; });
	}
	void parse(const char *base, size_t size, uintptr_t bias)
	{
		auto *eh = reinterpret_cast<const Elf64_Ehdr *>(base);
		if (std::memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
		    eh->e_shoff + static_cast<size_t>(eh->e_shnum) * sizeof(Elf64_Shdr) > size)
			return;
		auto *sh = reinterpret_cast<const Elf64_Shdr *>(base + eh->e_shoff);
		for (unsigned i = 0; i < eh->e_shnum; i++) {
			if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
				continue;
			const Elf64_Shdr &strs = sh[sh[i].sh_link];
			if (sh[i].sh_offset + sh[i].sh_size > size || strs.sh_offset + strs.sh_size > size)
				return;
			auto *sym = reinterpret_cast<const Elf64_Sym *>(base + sh[i].sh_offset);
			size_t n = sh[i].sh_size / sizeof(Elf64_Sym);
			for (size_t k = 0; k < n; k++) {
				if (ELF64_ST_TYPE(sym[k].st_info) != STT_FUNC || !sym[k].st_value ||
				    sym[k].st_name >= strs.sh_size)
					continue;
				syms.push_back({bias + sym[k].st_value, sym[k].st_size,
						base + strs.sh_offset + sym[k].st_name});
			}
		}
	}
	const Sym *find(uintptr_t a) const
	{
		auto it = std::upper_bound(syms.begin(), syms.end(), a,
					   [](uintptr_t v, const Sym &s) { return v < s.addr; });
		if (it == syms.begin())
			return nullptr;
		--it;
		return a < it->addr + std::max<size_t>(it->size, 1) ? &*it : nullptr;
	}
};

const SymTab &symtab()
{
	static std::once_flag once;
	static SymTab t;
	std::call_once(once, [] { t.load(); });
	return t;
}

std::string symbol(const void *p, bool offset)
{
	auto a = reinterpret_cast<uintptr_t>(p);
	char b[48];
	if (const SymTab::Sym *s = symtab().find(a)) {
		std::string r = s->name;
		if (offset) {
			std::snprintf(b, sizeof b, "+0x%lx/0x%lx", static_cast<unsigned long>(a - s->addr),
				      static_cast<unsigned long>(s->size));
			r += b;
		}
		return r;
	}
	Dl_info info{};
	if (dladdr(p, &info) && info.dli_sname) {
		std::string s = info.dli_sname;
		if (offset) {
			std::snprintf(b, sizeof b, "+0x%lx",
				      static_cast<unsigned long>(static_cast<const char *>(p) -
								 static_cast<const char *>(info.dli_saddr)));
			s += b;
		}
		return s;
	}
	std::snprintf(b, sizeof b, "0x%lx", reinterpret_cast<unsigned long>(p));
	return b;
}

size_t format(Out &o, const char *fmt, va_list *ap);

// Render %p<ext>; `ext` holds the alphanumerics that followed the 'p'.
void pointer(Out &o, const Spec &sp, const char *ext, const void *p, va_list *)
{
	if (!ext[0] || ext[0] == 'x' || ext[0] == 'K') {
		put_padded(o, sp, hexptr(p));
		return;
	}
	if (!p) {
		put_padded(o, sp, "(null)");
		return;
	}
	switch (ext[0]) {
	case 'I':
	case 'i': {
		bool lower = ext[0] == 'i';
		if (ext[1] == '4')
			put_padded(o, sp, ip4(static_cast<const uint8_t *>(p), lower));
		else if (ext[1] == '6')
			put_padded(o, sp, ip6(static_cast<const uint8_t *>(p), ext[2] == 'c' && !lower, !lower));
		else if (ext[1] == 'S')
			put_padded(o, sp, ip_sa(p, ext + 2));
		else
			put_padded(o, sp, hexptr(p));
		return;
	}
	case 's':
	case 'S':
		put_padded(o, sp, symbol(p, ext[0] == 'S'));
		return;
	case 'V': {
		auto *vf = static_cast<const umc_va_format *>(p);
		va_list copy;
		va_copy(copy, *vf->va);
		format(o, vf->fmt, &copy);
		va_end(copy);
		return;
	}
	default:
		break;
	}
	unsigned char c = static_cast<unsigned char>(ext[0]);
	if (c < 128 && g_ext[c]) {
		char b[256];
		size_t n = g_ext[c](b, sizeof b, p);
		put_padded(o, sp, std::string(b, n < sizeof b ? n : sizeof b));
		return;
	}
	put_padded(o, sp, hexptr(p));
}

// One non-%p conversion through the C library.
template <typename T> void emit(Out &o, const std::string &spec, T v)
{
	char b[128];
	int n = std::snprintf(b, sizeof b, spec.c_str(), v);
	if (n < 0)
		return;
	if (static_cast<size_t>(n) < sizeof b) {
		o.put(b, static_cast<size_t>(n));
		return;
	}
	std::string big(static_cast<size_t>(n) + 1, '\0');
	std::snprintf(big.data(), big.size(), spec.c_str(), v);
	o.put(big.data(), static_cast<size_t>(n));
}

size_t format(Out &o, const char *fmt, va_list *ap)
{
	const char *f = fmt;
	while (*f) {
		if (*f != '%') {
			o.put(*f++);
			continue;
		}
		const char *start = f++;
		if (*f == '%') {
			o.put('%');
			f++;
			continue;
		}
		std::string spec = "%";
		Spec sp;
		while (std::strchr("-+ #0'", *f) && *f) {
			if (*f == '-')
				sp.left = true;
			spec += *f++;
		}
		if (*f == '*') {
			int w = va_arg(*ap, int);
			if (w < 0) {
				sp.left = true;
				w = -w;
				spec += '-';
			}
			sp.width = w;
			spec += std::to_string(w);
			f++;
		} else {
			if (std::isdigit(static_cast<unsigned char>(*f)))
				sp.width = 0;
			while (std::isdigit(static_cast<unsigned char>(*f))) {
				sp.width = sp.width * 10 + (*f - '0');
				spec += *f++;
			}
		}
		if (*f == '.') {
			spec += *f++;
			if (*f == '*') {
				int pr = va_arg(*ap, int);
				spec += std::to_string(pr < 0 ? 0 : pr);
				f++;
			} else {
				while (std::isdigit(static_cast<unsigned char>(*f)))
					spec += *f++;
			}
		}
		// Length modifiers.
		enum { none, hh, h, l, ll, j, z, t, L } len = none;
		for (bool more = true; more;) {
			switch (*f) {
			case 'h':
				len = len == h ? hh : h;
				spec += *f++;
				break;
			case 'l':
				len = len == l ? ll : l;
				spec += *f++;
				break;
			case 'q':
				len = ll;
				spec += "ll";
				f++;
				break;
			case 'j':
				len = j;
				spec += *f++;
				break;
			case 'z':
			case 'Z':
				len = z;
				spec += 'z';
				f++;
				break;
			case 't':
				len = t;
				spec += *f++;
				break;
			case 'L':
				len = L;
				spec += *f++;
				break;
			default:
				more = false;
			}
		}
		char conv = *f;
		if (!conv) { // dangling '%': print it as is
			o.put(start, static_cast<size_t>(f - start));
			break;
		}
		f++;
		switch (conv) {
		case 'd':
		case 'i':
		case 'o':
		case 'u':
		case 'x':
		case 'X':
			spec += conv;
			switch (len) {
			case l:
				emit(o, spec, va_arg(*ap, long));
				break;
			case ll:
			case L:
				emit(o, spec, va_arg(*ap, long long));
				break;
			case j:
				emit(o, spec, va_arg(*ap, intmax_t));
				break;
			case z:
				emit(o, spec, va_arg(*ap, size_t));
				break;
			case t:
				emit(o, spec, va_arg(*ap, ptrdiff_t));
				break;
			default:
				emit(o, spec, va_arg(*ap, int));
				break;
			}
			break;
		case 'c':
			spec += conv;
			emit(o, spec, va_arg(*ap, int));
			break;
		case 'e':
		case 'E':
		case 'f':
		case 'F':
		case 'g':
		case 'G':
		case 'a':
		case 'A':
			spec += conv;
			if (len == L)
				emit(o, spec, va_arg(*ap, long double));
			else
				emit(o, spec, va_arg(*ap, double));
			break;
		case 's': {
			spec += conv;
			const char *s = va_arg(*ap, const char *);
			emit(o, spec, s ? s : "(null)");
			break;
		}
		case 'p': {
			char ext[8] = {};
			size_t n = 0;
			while (std::isalnum(static_cast<unsigned char>(*f))) {
				if (n + 1 < sizeof ext)
					ext[n++] = *f;
				f++;
			}
			pointer(o, sp, ext, va_arg(*ap, const void *), ap);
			break;
		}
		case 'n':
			(void)va_arg(*ap, void *); // never written, as in the kernel
			break;
		default: // unknown conversion: print the spec literally
			o.put(start, static_cast<size_t>(f - start));
			break;
		}
	}
	if (o.size)
		o.buf[o.len < o.size ? o.len : o.size - 1] = '\0';
	return o.len;
}

int level_of(char c)
{
	switch (c) {
	case '0':
	case '1':
	case '2':
		return SYS_LOG_CRITICAL;
	case '3':
		return SYS_LOG_ERROR;
	case '4':
		return SYS_LOG_WARN;
	case '5':
	case '6':
		return SYS_LOG_INFO;
	case '7':
		return SYS_LOG_DEBUG;
	default:
		return -1;
	}
}

} // namespace
} // namespace umc

using namespace umc;

extern "C" int umc_vsnprintf(char *buf, size_t size, const char *fmt, umc_va_list ap)
{
	Out o{buf, size};
	va_list copy;
	va_copy(copy, ap);
	size_t n = format(o, fmt, &copy);
	va_end(copy);
	return static_cast<int>(n);
}

extern "C" void umc_printk_emit(const char *msg, size_t len)
{
	// KERN_CONT pieces are logged as their own lines, at the level of the
	// line they continue (per thread).
	static thread_local int last_level = SYS_LOG_WARN;
	int level = SYS_LOG_WARN; // the kernel's default message level
	while (len >= 2 && msg[0] == '\001') {
		int l = level_of(msg[1]);
		if (l >= 0)
			level = l;
		else if (msg[1] == 'c')
			level = last_level;
		msg += 2;
		len -= 2;
	}
	last_level = level;
	while (len && msg[len - 1] == '\n')
		len--;
	if (!running()) {
		std::fprintf(stderr, "%.*s\n", static_cast<int>(len), msg);
		return;
	}
	if (sys().log_enabled(level))
		sys().log_write(level, "kernel", msg, len);
}

extern "C" int umc_vprintk(const char *fmt, umc_va_list ap)
{
	char small[512];
	va_list copy;
	va_copy(copy, ap);
	int n = umc_vsnprintf(small, sizeof small, fmt, copy);
	va_end(copy);
	const char *text = small;
	std::string big;
	if (static_cast<size_t>(n) >= sizeof small) {
		big.resize(static_cast<size_t>(n) + 1);
		va_copy(copy, ap);
		umc_vsnprintf(big.data(), big.size(), fmt, copy);
		va_end(copy);
		text = big.data();
	}
	size_t len = static_cast<size_t>(n);
	umc_printk_emit(text, len);
	size_t prefix = 0;
	while (prefix + 1 < len && text[prefix] == '\001')
		prefix += 2;
	return static_cast<int>(len - prefix);
}

extern "C" int umc_printk_register(char ext, umc_printk_ext_fn fn)
{
	unsigned char c = static_cast<unsigned char>(ext);
	if (c >= 128 || !std::isalpha(c) || std::strchr("IiSsVxK", ext) || !fn)
		return -EINVAL;
	if (g_ext[c])
		return -EEXIST;
	g_ext[c] = fn;
	return 0;
}

extern "C" bool umc_ratelimit(struct umc_ratelimit_state *rs, const char *func)
{
	if (!rs->interval)
		return true;
	auto *lock = reinterpret_cast<std::atomic<uint32_t> *>(&rs->lock);
	// Contention means somebody else is printing right now: too busy.
	if (lock->exchange(1, std::memory_order_acquire))
		return false;
	unsigned long now = umc_jiffies();
	if (!rs->begin)
		rs->begin = now;
	if (static_cast<long>(now - (rs->begin + static_cast<unsigned long>(rs->interval))) > 0) {
		if (rs->missed && !(rs->flags & UMC_RATELIMIT_MSG_ON_RELEASE)) {
			char b[160];
			int n = std::snprintf(b, sizeof b, "\0014%s: %d callbacks suppressed", func, rs->missed);
			umc_printk_emit(b, static_cast<size_t>(n));
			rs->missed = 0;
		}
		rs->begin = now;
		rs->printed = 0;
	}
	bool ok;
	if (rs->burst && rs->burst > rs->printed) {
		rs->printed++;
		ok = true;
	} else {
		rs->missed++;
		ok = false;
	}
	lock->store(0, std::memory_order_release);
	return ok;
}
