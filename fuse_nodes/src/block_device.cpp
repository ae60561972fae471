#include "fuse_nodes/block_device.hpp"

#include <fcntl.h>

namespace umc::fuse {

OpenMode OpenMode::from_open_flags(int flags)
{
	OpenMode mode;
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		mode.read = true;
		break;
	case O_WRONLY:
		mode.write = true;
		break;
	case O_RDWR:
		mode.read = true;
		mode.write = true;
		break;
	default: // O_ACCMODE: Linux's "ioctl only" open, neither FMODE_READ nor FMODE_WRITE
		break;
	}
	mode.ndelay = (flags & O_NDELAY) != 0;
	return mode;
}

} // namespace umc::fuse
