// The backend registry, option parsing and request validation.  Validation
// lives here, once, so that every backend may assume a well-formed request.
#include "common.hpp"

#include <cerrno>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

namespace {

struct Registry {
	std::mutex m;
	std::vector<const bio_backend_ops *> list;
	Registry()
	{
		for (const bio_backend_ops *b : {&bio_ram_backend, &bio_mmap_backend, &bio_uring_backend,
						 &bio_aio_backend, &bio_fault_backend, &bio_tcmu_backend})
			list.push_back(b);
	}
};

Registry &registry()
{
	static Registry r;
	return r;
}

bool valid_name(const char *n)
{
	if (!n || !*n)
		return false;
	for (const char *p = n; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return strlen(n) < sizeof(((bio_device *)nullptr)->name);
}

int errmsg(char *err, size_t len, int rc, const std::string &msg)
{
	if (err && len)
		snprintf(err, len, "%s", msg.c_str());
	return rc;
}

} // namespace

extern "C" const struct bio_backend_ops *bio_backend_find(const char *name)
{
	if (!name)
		return nullptr;
	Registry &r = registry();
	std::lock_guard<std::mutex> g(r.m);
	for (auto *b : r.list)
		if (!strcmp(b->name, name))
			return b;
	return nullptr;
}

extern "C" int bio_backend_register(const struct bio_backend_ops *ops)
{
	if (!ops)
		return -EINVAL;
	if (ops->version != BIO_BACKEND_VERSION || ops->size < sizeof(bio_backend_ops))
		return -EPROTO;
	if (!valid_name(ops->name) || !ops->open || !ops->close || !ops->submit || !ops->option_keys)
		return -EINVAL;
	Registry &r = registry();
	std::lock_guard<std::mutex> g(r.m);
	for (auto *b : r.list)
		if (!strcmp(b->name, ops->name))
			return -EEXIST;
	r.list.push_back(ops);
	return 0;
}

extern "C" size_t bio_backend_list(const char **names, size_t max)
{
	Registry &r = registry();
	std::lock_guard<std::mutex> g(r.m);
	for (size_t i = 0; i < r.list.size() && i < max; i++)
		names[i] = r.list[i]->name;
	return r.list.size();
}

namespace {

// The backend `name` and its options "k=v,k=v" split, duplicates and keys the
// backend does not declare refused: what bio_open and bio_check share.
int parse_options(const char *name, const char *options, const bio_backend_ops **ops_out,
		  std::vector<std::pair<std::string, std::string>> *store, char *err, size_t errlen)
{
	const bio_backend_ops *ops = bio_backend_find(name);
	if (!ops) {
		const char *names[16];
		size_t n = bio_backend_list(names, 16);
		std::string known;
		for (size_t i = 0; i < n && i < 16; i++)
			known += (i ? ", " : "") + std::string(names[i]);
		return errmsg(err, errlen, -ENOENT,
			      "unknown backend '" + std::string(name) + "' (known: " + known + ")");
	}

	std::string opts = options ? options : "";
	size_t pos = 0;
	while (pos <= opts.size() && !opts.empty()) {
		size_t comma = opts.find(',', pos);
		std::string item = opts.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
		pos = comma == std::string::npos ? opts.size() + 1 : comma + 1;
		if (item.empty())
			return errmsg(err, errlen, -EINVAL, std::string(name) + ": empty option in '" + opts + "'");
		size_t eq = item.find('=');
		std::string key = item.substr(0, eq), value = eq == std::string::npos ? "" : item.substr(eq + 1);
		if (key.empty())
			return errmsg(err, errlen, -EINVAL,
				      std::string(name) + ": option without a key: '" + item + "'");
		for (auto &kv : *store)
			if (kv.first == key)
				return errmsg(err, errlen, -EINVAL,
					      std::string(name) + ": duplicate option '" + key + "'");
		store->emplace_back(key, value);
	}

	bool any = ops->option_keys[0] && !strcmp(ops->option_keys[0], "*") && !ops->option_keys[1];
	if (!any) {
		for (auto &kv : *store) {
			bool ok = false;
			for (const char *const *k = ops->option_keys; *k; k++)
				ok = ok || kv.first == *k;
			if (!ok) {
				std::string accepted;
				for (const char *const *k = ops->option_keys; *k; k++)
					accepted += (k == ops->option_keys ? "" : ", ") + std::string(*k);
				return errmsg(err, errlen, -EINVAL,
					      std::string(name) + ": unknown option '" + kv.first +
						      "' (accepted: " + accepted + ")");
			}
		}
	}
	*ops_out = ops;
	return 0;
}

} // namespace

extern "C" int bio_check(const char *name, const char *options, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = 0;
	if (!name)
		return errmsg(err, errlen, -EINVAL, "bio_check: name is required");
	const bio_backend_ops *ops = nullptr;
	std::vector<std::pair<std::string, std::string>> store;
	if (int rc = parse_options(name, options, &ops, &store, err, errlen); rc < 0)
		return rc;
	if (!ops->check)
		return 0;
	std::vector<bio_option> list;
	for (auto &kv : store)
		list.push_back({kv.first.c_str(), kv.second.c_str()});
	char local[256] = "";
	bio_open_args args{nullptr, list.data(), list.size(), err && errlen ? err : local,
			   err && errlen ? errlen : sizeof local};
	int rc = ops->check(&args);
	if (rc < 0 && err && errlen && !err[0])
		snprintf(err, errlen, "%s: %s", name, strerror(-rc));
	return rc;
}

extern "C" int bio_open(struct bio_device **out, const struct sys_service *sys, const char *name, const char *options,
			char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = 0;
	if (!out || !sys || !name)
		return errmsg(err, errlen, -EINVAL, "bio_open: out, sys and name are required");
	// The option strings stay alive in `store` for the open call.
	const bio_backend_ops *ops = nullptr;
	std::vector<std::pair<std::string, std::string>> store;
	if (int rc = parse_options(name, options, &ops, &store, err, errlen); rc < 0)
		return rc;

	std::vector<bio_option> list;
	for (auto &kv : store)
		list.push_back({kv.first.c_str(), kv.second.c_str()});
	auto *dev = static_cast<bio_device *>(sys->mem_zalloc(sizeof(bio_device), 0, BIO_HERE));
	if (!dev)
		return errmsg(err, errlen, -ENOMEM, "out of memory");
	dev->ops = ops;
	dev->sys = sys;
	snprintf(dev->name, sizeof dev->name, "%s", ops->name);
	char local[256] = "";
	bio_open_args args{sys, list.data(), list.size(), err && errlen ? err : local,
			   err && errlen ? errlen : sizeof local};
	int rc = ops->open(dev, &args);
	if (rc < 0) {
		sys->mem_free(dev);
		if (err && errlen && !err[0])
			snprintf(err, errlen, "%s: open failed: %s", name, strerror(-rc));
		return rc;
	}
	if (!dev->caps.logical_block_size)
		dev->caps.logical_block_size = 512;
	if (!dev->caps.max_io_size)
		dev->caps.max_io_size = 1u << 30;
	*out = dev;
	return 0;
}

extern "C" int bio_open_spec(struct bio_device **out, const struct sys_service *sys, const char *spec, char *err,
			     size_t errlen)
{
	if (!spec)
		return errmsg(err, errlen, -EINVAL, "bio_open_spec: no spec");
	const char *colon = strchr(spec, ':');
	std::string name = colon ? std::string(spec, (size_t)(colon - spec)) : std::string(spec);
	return bio_open(out, sys, name.c_str(), colon ? colon + 1 : "", err, errlen);
}

extern "C" void bio_close(struct bio_device *dev)
{
	if (!dev)
		return;
	dev->ops->close(dev);
	dev->sys->mem_free(dev);
}

static int validate(const bio_device *dev, const bio_request *r)
{
	const bio_caps &c = dev->caps;
	if (r->flags & ~BIO_REQ_KNOWN_FLAGS || r->reserved0)
		return -EINVAL;
	switch (r->op) {
	case BIO_OP_FLUSH:
		if (r->offset || r->length || r->iovcnt)
			return -EINVAL;
		return 0;
	case BIO_OP_READ:
	case BIO_OP_WRITE: {
		if (!r->iov || !r->iovcnt || r->iovcnt > BIO_MAX_IOVCNT || r->length > c.max_io_size)
			return -EINVAL;
		uint64_t sum = 0;
		for (uint32_t i = 0; i < r->iovcnt; i++)
			sum += r->iov[i].iov_len;
		if (sum != r->length)
			return -EINVAL;
		break;
	}
	case BIO_OP_DISCARD:
		if (!(c.features & BIO_CAP_DISCARD))
			return -EOPNOTSUPP;
		break;
	case BIO_OP_WRITE_ZEROES:
		if (!(c.features & BIO_CAP_WRITE_ZEROES))
			return -EOPNOTSUPP;
		break;
	default:
		return -EINVAL;
	}
	if (!r->length || r->offset % c.logical_block_size || r->length % c.logical_block_size)
		return -EINVAL;
	const uint64_t size = bio_device_size(dev);
	if (r->offset > size || r->length > size - r->offset)
		return -EINVAL;
	return 0;
}

extern "C" int bio_resize(struct bio_device *dev, uint64_t new_size)
{
	if (!dev->ops->resize)
		return -EOPNOTSUPP;
	if (new_size % dev->caps.logical_block_size || new_size <= bio_device_size(dev))
		return -EINVAL;
	int rc = dev->ops->resize(dev, new_size);
	if (rc == 0)
		__atomic_store_n(&dev->size, new_size, __ATOMIC_RELEASE);
	return rc;
}

extern "C" void bio_submit(struct bio_device *dev, struct bio_request *req)
{
	int rc = validate(dev, req);
	if (rc < 0) {
		req->end_io(req, rc);
		return;
	}
	dev->ops->submit(dev, req);
}
