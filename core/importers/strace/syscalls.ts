// Linux syscall → category, plus where each call's target sits in its arguments. Covers the
// x86_64 and aarch64 tables (and the common i386/legacy names strace prints, e.g. stat64,
// _llseek, socketcall). Unknown names fall back to category "other" and the fd in argument 0.
import type { Category } from '../../model/event.ts';

/** Where the target of a call is found. Indexes are 0-based argument positions. */
export type TargetSpec =
  | { kind: 'path'; index: number; dirIndex: number | null }
  | { kind: 'fd'; index: number }
  | { kind: 'addr'; index: number; fdIndex: number }
  | { kind: 'pid'; index: number }
  | { kind: 'name'; index: number }
  | { kind: 'none' };

export interface SyscallInfo {
  category: Category;
  target: TargetSpec;
}

const NONE: TargetSpec = { kind: 'none' };
const path = (index: number, dirIndex: number | null = null): TargetSpec => ({ kind: 'path', index, dirIndex });
const fd = (index: number): TargetSpec => ({ kind: 'fd', index });
const addr = (index: number): TargetSpec => ({ kind: 'addr', index, fdIndex: 0 });
const pid = (index: number): TargetSpec => ({ kind: 'pid', index });
const name = (index: number): TargetSpec => ({ kind: 'name', index });

const TABLE = new Map<string, SyscallInfo>();

function def(category: Category, target: TargetSpec, names: string): void {
  for (const n of names.split(/\s+/)) if (n) TABLE.set(n, { category, target });
}

// --- file: by path -------------------------------------------------------------------------
def('file', path(0), `open creat access stat lstat stat64 lstat64 oldstat oldlstat truncate truncate64
  chmod chown lchown chown32 lchown32 readlink unlink rmdir mkdir mknod rename link chdir statfs statfs64
  utime utimes getxattr lgetxattr setxattr lsetxattr listxattr llistxattr removexattr lremovexattr uselib
  osf_stat osf_lstat`);
def('file', path(1), 'symlink inotify_add_watch');
def('file', path(1, 0), `openat openat2 newfstatat fstatat64 faccessat faccessat2 unlinkat mkdirat mknodat
  fchmodat fchmodat2 fchownat utimensat futimesat readlinkat name_to_handle_at statx renameat renameat2
  linkat open_tree getxattrat setxattrat listxattrat removexattrat file_getattr file_setattr`);
def('file', path(2, 1), 'symlinkat');
def('file', path(4, 3), 'fanotify_mark');
// --- file: by descriptor -------------------------------------------------------------------
def('file', fd(0), `read write pread64 pwrite64 pread pwrite readv writev preadv pwritev preadv2 pwritev2
  close fstat fstat64 newfstat lseek _llseek llseek fcntl fcntl64 flock fsync fdatasync ftruncate ftruncate64
  getdents getdents64 readdir fchdir fchmod fchown fchown32 fstatfs fstatfs64 fgetxattr fsetxattr flistxattr
  fremovexattr fadvise64 fadvise64_64 arm_fadvise64_64 fallocate readahead sync_file_range sync_file_range2
  syncfs copy_file_range splice tee vmsplice sendfile sendfile64 dup dup2 dup3 open_by_handle_at
  io_uring_setup io_uring_enter io_uring_register io_setup io_destroy io_submit io_cancel io_getevents
  io_pgetevents cachestat`);
def('file', NONE, 'close_range inotify_init inotify_init1 inotify_rm_watch fanotify_init umask sync');
// --- memory ------------------------------------------------------------------------------
def('memory', fd(4), 'mmap mmap2 old_mmap');
def('memory', NONE, `brk munmap mprotect mremap madvise mlock mlock2 munlock mlockall munlockall mincore msync
  remap_file_pages pkey_mprotect pkey_alloc pkey_free membarrier userfaultfd process_madvise process_mrelease
  set_mempolicy get_mempolicy set_mempolicy_home_node mbind migrate_pages move_pages memfd_secret
  map_shadow_stack mseal cacheflush`);
def('memory', name(0), 'memfd_create');
// --- network -------------------------------------------------------------------------------
def('network', addr(1), 'connect bind accept accept4 getpeername getsockname');
def('network', { kind: 'addr', index: 4, fdIndex: 0 }, 'sendto recvfrom');
def('network', fd(0), 'listen sendmsg recvmsg sendmmsg recvmmsg shutdown setsockopt getsockopt send recv');
def('network', NONE, 'socket socketpair socketcall');
// --- process -------------------------------------------------------------------------------
def('process', path(0), 'execve');
def('process', path(1, 0), 'execveat');
def('process', NONE, `fork vfork clone clone2 clone3 exit exit_group wait4 waitpid waitid getpid getppid gettid
  getpgid setpgid getpgrp getsid setsid set_tid_address prctl arch_prctl personality unshare setns
  pidfd_getfd kcmp sched_yield sched_getaffinity sched_setaffinity sched_setscheduler sched_getscheduler
  sched_setparam sched_getparam sched_get_priority_max sched_get_priority_min sched_rr_get_interval
  sched_setattr sched_getattr getpriority setpriority prlimit64 getrlimit setrlimit ugetrlimit getrusage times
  set_robust_list get_robust_list rseq set_thread_area get_thread_area modify_ldt vm86 vm86old
  ioprio_set ioprio_get getcpu`);
def('process', pid(1), 'ptrace');
def('process', pid(0), 'process_vm_readv process_vm_writev pidfd_open');
// --- credential ----------------------------------------------------------------------------
def('credential', NONE, `getuid geteuid getgid getegid setuid setgid setreuid setregid setresuid setresgid
  getresuid getresgid setfsuid setfsgid getgroups setgroups getuid32 geteuid32 getgid32 getegid32 setuid32
  setgid32 setreuid32 setregid32 setresuid32 setresgid32 getresuid32 getresgid32 setfsuid32 setfsgid32
  getgroups32 setgroups32 capget capset keyctl add_key request_key`);
// --- signal --------------------------------------------------------------------------------
def('signal', NONE, `rt_sigaction rt_sigprocmask rt_sigreturn rt_sigsuspend rt_sigpending rt_sigtimedwait
  rt_sigtimedwait_time64 sigaltstack signal sigaction sigprocmask sigreturn sigsuspend sigpending
  signalfd signalfd4 pause sgetmask ssetmask`);
def('signal', pid(0), 'kill tkill rt_sigqueueinfo pidfd_send_signal');
def('signal', pid(1), 'tgkill rt_tgsigqueueinfo');
// --- time ----------------------------------------------------------------------------------
def('time', NONE, `nanosleep clock_nanosleep clock_nanosleep_time64 clock_gettime clock_gettime64
  clock_settime clock_settime64 clock_getres clock_getres_time64 clock_adjtime clock_adjtime64 gettimeofday
  settimeofday time stime adjtimex timer_create timer_settime timer_settime64 timer_gettime timer_gettime64
  timer_getoverrun timer_delete timerfd_create timerfd_settime timerfd_settime64 timerfd_gettime
  timerfd_gettime64 setitimer getitimer alarm`);
// --- ipc: synchronisation, pipes, SysV/POSIX IPC, waiting on descriptors -------------------
def('ipc', NONE, `pipe pipe2 futex futex_time64 futex_waitv futex_wake futex_wait futex_requeue shmget shmat
  shmdt shmctl semget semop semtimedop semtimedop_time64 semctl msgget msgsnd msgrcv msgctl ipc
  mq_timedsend mq_timedreceive mq_notify mq_getsetattr mq_timedsend_time64 mq_timedreceive_time64
  eventfd eventfd2 epoll_create epoll_create1 epoll_wait epoll_pwait epoll_pwait2 poll ppoll ppoll_time64
  select _newselect pselect6 pselect6_time64`);
def('ipc', fd(2), 'epoll_ctl');
def('ipc', name(0), 'mq_open mq_unlink');
// --- device --------------------------------------------------------------------------------
def('device', fd(0), 'ioctl');
def('device', NONE, 'iopl ioperm vhangup');
// --- kernel modules ------------------------------------------------------------------------
def('module', fd(0), 'finit_module');
def('module', name(0), 'delete_module');
def('module', NONE, 'init_module create_module query_module get_kernel_syms kexec_load kexec_file_load');
// --- system --------------------------------------------------------------------------------
def('system', NONE, `uname olduname oldolduname sysinfo syslog reboot sethostname setdomainname getrandom
  sysfs ustat bpf perf_event_open seccomp landlock_create_ruleset landlock_add_rule landlock_restrict_self
  lookup_dcookie _sysctl nfsservctl quotactl quotactl_fd fsopen fsconfig fsmount lsm_get_self_attr
  lsm_set_self_attr lsm_list_modules restart_syscall`);
def('system', path(0), 'acct swapon swapoff chroot umount umount2 oldumount');
def('system', path(1), 'mount pivot_root');
def('system', path(3, 2), 'move_mount');
def('system', path(1, 0), 'fspick mount_setattr');

/** Category and target location of a syscall, or undefined for a name not in the table. */
export function syscallInfo(syscall: string): SyscallInfo | undefined {
  return TABLE.get(syscall);
}

export function isKnownSyscall(syscall: string): boolean {
  return TABLE.has(syscall);
}

/** Number of syscalls in the table (documentation and tests). */
export const SYSCALL_COUNT = TABLE.size;

/** Calls that create a process or thread; their return value is the child's pid. */
export const FORK_CALLS: ReadonlySet<string> = new Set(['fork', 'vfork', 'clone', 'clone2', 'clone3']);
/** Calls that replace the process image. */
export const EXEC_CALLS: ReadonlySet<string> = new Set(['execve', 'execveat']);
