#include "node_table.hpp"

#include <cerrno>
#include <mutex>

namespace umc::fuse {

namespace {

// Split "a/b/c" into parts, ignoring empty ones (leading/double slashes).
std::vector<std::string_view> split_path(std::string_view path)
{
	std::vector<std::string_view> parts;
	while (!path.empty()) {
		size_t slash = path.find('/');
		std::string_view part = path.substr(0, slash);
		if (!part.empty())
			parts.push_back(part);
		if (slash == std::string_view::npos)
			break;
		path.remove_prefix(slash + 1);
	}
	return parts;
}

} // namespace

void WriteGate::enter_shared()
{
	std::unique_lock guard(lock_);
	changed_.wait(guard, [&] { return !exclusive_; });
	++shared_;
}

void WriteGate::leave_shared()
{
	std::lock_guard guard(lock_);
	if (--shared_ == 0)
		changed_.notify_all();
}

void WriteGate::enter_exclusive()
{
	std::unique_lock guard(lock_);
	changed_.wait(guard, [&] { return !exclusive_; });
	exclusive_ = true; // new shared entries wait from now on
	changed_.wait(guard, [&] { return shared_ == 0; });
}

void WriteGate::leave_exclusive()
{
	std::lock_guard guard(lock_);
	exclusive_ = false;
	changed_.notify_all();
}

NodeTable::NodeTable()
{
	auto root = std::make_shared<Node>();
	root->ino = kRootIno;
	root->parent = kRootIno;
	root->kind = NodeKind::Directory;
	root->perm = 0755;
	by_ino_.emplace(kRootIno, root);
}

bool NodeTable::valid_name(std::string_view name)
{
	if (name.empty() || name.size() > 255 || name == "." || name == "..")
		return false;
	for (char c : name)
		if (c == '/' || c == '\0')
			return false;
	return true;
}

NodeRef NodeTable::get(uint64_t ino) const
{
	std::shared_lock guard(lock_);
	auto it = by_ino_.find(ino);
	return it == by_ino_.end() ? nullptr : it->second;
}

NodeRef NodeTable::lookup(uint64_t parent, std::string_view name) const
{
	std::shared_lock guard(lock_);
	auto dir = by_ino_.find(parent);
	if (dir == by_ino_.end() || dir->second->kind != NodeKind::Directory)
		return nullptr;
	auto child = dir->second->children.find(name);
	if (child == dir->second->children.end())
		return nullptr;
	auto it = by_ino_.find(child->second);
	return it == by_ino_.end() ? nullptr : it->second;
}

std::vector<NodeRef> NodeTable::children(uint64_t dir_ino) const
{
	std::vector<NodeRef> out;
	std::shared_lock guard(lock_);
	auto dir = by_ino_.find(dir_ino);
	if (dir == by_ino_.end())
		return out;
	for (const auto &[name, ino] : dir->second->children) {
		auto it = by_ino_.find(ino);
		if (it != by_ino_.end())
			out.push_back(it->second);
	}
	return out;
}

NodeRef NodeTable::walk_locked(std::string_view path) const
{
	NodeRef node = by_ino_.at(kRootIno);
	for (std::string_view part : split_path(path)) {
		if (node->kind != NodeKind::Directory)
			return nullptr;
		auto child = node->children.find(part);
		if (child == node->children.end())
			return nullptr;
		node = by_ino_.at(child->second);
	}
	return node;
}

NodeRef NodeTable::resolve(std::string_view path) const
{
	std::shared_lock guard(lock_);
	return walk_locked(path);
}

NodeRef NodeTable::add_dir_locked(const NodeRef &parent, std::string_view name)
{
	auto dir = std::make_shared<Node>();
	dir->ino = next_ino_++;
	dir->parent = parent->ino;
	dir->name = std::string(name);
	dir->kind = NodeKind::Directory;
	dir->perm = 0755;
	parent->children.emplace(dir->name, dir->ino);
	by_ino_.emplace(dir->ino, dir);
	return dir;
}

NodeRef NodeTable::make_dirs(std::string_view path, int *err)
{
	std::unique_lock guard(lock_);
	NodeRef node = by_ino_.at(kRootIno);
	for (std::string_view part : split_path(path)) {
		if (!valid_name(part)) {
			*err = -EINVAL;
			return nullptr;
		}
		auto child = node->children.find(part);
		if (child == node->children.end()) {
			node = add_dir_locked(node, part);
			continue;
		}
		node = by_ino_.at(child->second);
		if (node->kind != NodeKind::Directory) {
			*err = -ENOTDIR;
			return nullptr;
		}
	}
	return node;
}

int NodeTable::add_file(std::string_view parent_path, std::string_view name, NodeRef node)
{
	if (!valid_name(name))
		return -EINVAL;
	std::unique_lock guard(lock_);
	NodeRef parent = walk_locked(parent_path);
	if (!parent)
		return -ENOENT;
	if (parent->kind != NodeKind::Directory)
		return -ENOTDIR;
	if (parent->children.count(name))
		return -EEXIST;
	node->ino = next_ino_++;
	node->parent = parent->ino;
	node->name = std::string(name);
	parent->children.emplace(node->name, node->ino);
	by_ino_.emplace(node->ino, node);
	return 0;
}

void NodeTable::unlink(const NodeRef &node)
{
	std::unique_lock guard(lock_);
	auto parent = by_ino_.find(node->parent);
	if (parent != by_ino_.end())
		parent->second->children.erase(node->name);
	by_ino_.erase(node->ino);
}

} // namespace umc::fuse
