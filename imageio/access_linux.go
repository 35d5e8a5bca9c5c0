package imageio

import "syscall"

// canCreateIn reports why files cannot be created in the directory dir
// (nil when they can), as access(2) with W_OK|X_OK tells: permissions,
// a read-only file system.
func canCreateIn(dir string) error {
	const wOK, xOK = 0x2, 0x1 // access(2)'s W_OK and X_OK
	return syscall.Access(dir, wOK|xOK)
}
