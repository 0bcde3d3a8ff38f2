import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLocalFileSystemType } from '../../main/sources/logs/local-file-system';

test('only local file systems are read synchronously: ext4, xfs, btrfs, tmpfs, overlay yes; NFS, CIFS, FUSE no', () => {
  for (const local of [0xef53, 0x58465342, 0x9123683e, 0x01021994, 0x794c7630]) assert.equal(isLocalFileSystemType(local), true, local.toString(16));
  // A 32-bit f_type read as a signed number (some platforms) is the same file system.
  assert.equal(isLocalFileSystemType(0x9123683e | 0), true);
  for (const remote of [0x6969, 0xff534d42, 0xfe534d42, 0x65735546, 0]) assert.equal(isLocalFileSystemType(remote), false, remote.toString(16));
});
