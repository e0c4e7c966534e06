// Library function → category for ltrace events, and which functions name a target (a path,
// program, host or account) in their first string argument. Exact names first, then prefixes;
// `SYS_name` (ltrace -S) goes through the syscall table. Unknown functions are "other".
import type { Category } from '../../model/event.ts';
import { splitArgs, unquote } from './line.ts';
import { syscallInfo } from './syscalls.ts';

const EXACT = new Map<string, Category>();

function def(category: Category, names: string): void {
  for (const n of names.split(/\s+/)) if (n) EXACT.set(n, category);
}

def('file', `open open64 openat openat64 creat fopen fopen64 fdopen freopen fclose close read write pread pwrite
  pread64 pwrite64 readv writev fread fwrite fread_unlocked fwrite_unlocked fgets fgets_unlocked fputs
  fputs_unlocked fgetc fputc getc putc getc_unlocked putc_unlocked ungetc getline getdelim __getdelim fscanf
  fprintf vfprintf __fprintf_chk __vfprintf_chk fflush fflush_unlocked fsync fdatasync fileno fileno_unlocked
  feof ferror clearerr __freading __fwriting __fpending __fpurge setvbuf setbuf fseek fseeko ftell ftello rewind
  fgetpos fsetpos lseek lseek64 stat stat64 lstat lstat64 fstat fstat64 fstatat newfstatat __xstat __lxstat
  __fxstat __xstat64 __lxstat64 __fxstat64 __fxstatat statx access eaccess euidaccess faccessat unlink unlinkat
  remove rename renameat renameat2 mkdir mkdirat rmdir opendir fdopendir readdir readdir64 readdir_r closedir
  rewinddir seekdir telldir dirfd scandir chdir fchdir getcwd get_current_dir_name realpath canonicalize_file_name
  readlink readlinkat symlink symlinkat link linkat chmod fchmod fchmodat chown fchown lchown fchownat truncate
  ftruncate truncate64 ftruncate64 dup dup2 dup3 fcntl fcntl64 flock lockf mkstemp mkstemps mkostemp mkdtemp
  tmpfile tmpnam tempnam statfs statvfs fstatfs fstatvfs getxattr lgetxattr fgetxattr setxattr lsetxattr
  fsetxattr listxattr removexattr utime utimes utimensat futimens sendfile copy_file_range posix_fadvise
  posix_fallocate glob globfree ftw nftw fts_open fts_read fts_close umask`);
def('network', `socket connect bind listen accept accept4 send sendto sendmsg recv recvfrom recvmsg shutdown
  setsockopt getsockopt getpeername getsockname getaddrinfo freeaddrinfo gai_strerror gethostbyname
  gethostbyname2 gethostbyname_r gethostbyaddr getnameinfo gethostent getservbyname getservbyport
  getprotobyname inet_pton inet_ntop inet_addr inet_aton inet_ntoa inet_network htons htonl ntohs ntohl
  res_query res_search res_init __res_query if_nametoindex if_indextoname getifaddrs freeifaddrs`);
def('process', `fork vfork clone __clone execve execv execvp execvpe execl execlp execle fexecve system popen
  pclose posix_spawn posix_spawnp wait wait3 wait4 waitpid waitid exit _exit _Exit abort atexit __cxa_atexit
  on_exit __libc_start_main __libc_start_call_main getpid getppid gettid setsid getsid setpgid getpgid getpgrp
  setpgrp prctl ptrace daemon getenv secure_getenv __secure_getenv setenv unsetenv putenv clearenv nice
  getpriority setpriority getrlimit setrlimit getrusage sched_yield sched_setaffinity sched_getaffinity
  pthread_create pthread_join pthread_detach pthread_exit pthread_self pthread_cancel`);
def('memory', `malloc calloc realloc reallocarray free cfree mmap mmap64 munmap mprotect mremap madvise brk sbrk
  posix_memalign aligned_alloc memalign valloc pvalloc mlock munlock mlockall munlockall malloc_usable_size
  memfd_create shm_unlink`);
def('credential', `getuid geteuid getgid getegid setuid seteuid setgid setegid setreuid setregid setresuid
  setresgid getresuid getresgid setgroups getgroups initgroups getgrouplist getpwnam getpwuid getpwnam_r
  getpwuid_r getpwent setpwent endpwent fgetpwent getgrnam getgrgid getgrnam_r getgrgid_r getgrent setgrent
  endgrent getspnam getspnam_r getspent setspent endspent lckpwdf ulckpwdf crypt crypt_r getlogin getlogin_r
  cuserid getpass capget capset cap_get_proc cap_set_proc`);
def('signal', `signal sigaction sigprocmask sigemptyset sigfillset sigaddset sigdelset sigismember sigsetmask
  sigblock siggetmask sigsuspend sigpending sigwait sigtimedwait sigaltstack raise kill killpg pthread_kill
  pthread_sigmask bsd_signal sysv_signal __sysv_signal psignal strsignal`);
def('time', `time gettimeofday settimeofday clock_gettime clock_settime clock_getres clock localtime localtime_r
  gmtime gmtime_r mktime timegm strftime strptime ctime ctime_r asctime difftime sleep usleep nanosleep
  clock_nanosleep alarm setitimer getitimer timer_create timer_settime tzset`);
def('ipc', `pipe pipe2 socketpair poll ppoll select pselect __fdelt_chk epoll_create epoll_create1 epoll_ctl
  epoll_wait epoll_pwait eventfd futex sem_open sem_close sem_wait sem_post sem_timedwait shm_open shmget shmat
  shmdt shmctl msgget msgsnd msgrcv mq_open mq_send mq_receive mq_close mkfifo mkfifoat`);
def('module', 'dlopen dlmopen dlsym dlvsym dlclose dladdr dlerror dlinfo dl_iterate_phdr');
def('device', 'ioctl tcgetattr tcsetattr cfmakeraw isatty ttyname ttyname_r openpty forkpty grantpt unlockpt ptsname');
def('system', `uname sysconf gethostname sethostname getdomainname getrandom getentropy syslog openlog closelog
  vsyslog __syslog_chk sysinfo get_nprocs reboot mount umount umount2 chroot`);

const PREFIXES: [string, Category][] = [
  ['pthread_mutex', 'ipc'],
  ['pthread_cond', 'ipc'],
  ['pthread_rwlock', 'ipc'],
  ['pthread_spin', 'ipc'],
  ['pthread_', 'process'],
  ['sem_', 'ipc'],
  ['SSL_', 'network'],
  ['curl_', 'network'],
  ['pam_', 'credential'],
  ['dl', 'module'],
];

/** "strlen@libc.so.6" → "strlen"; "libc.so.6->malloc" → "malloc". */
export function baseFunctionName(name: string): string {
  const arrow = name.lastIndexOf('->');
  let n = arrow >= 0 ? name.slice(arrow + 2) : name;
  const at = n.indexOf('@');
  if (at > 0) n = n.slice(0, at);
  return n;
}

export function functionCategory(name: string): Category {
  const n = baseFunctionName(name);
  const exact = EXACT.get(n);
  if (exact) return exact;
  if (n.startsWith('SYS_')) return syscallInfo(n.slice(4))?.category ?? 'other';
  for (const [prefix, category] of PREFIXES) if (n.startsWith(prefix)) return category;
  return 'other';
}

/** Functions whose target is their first string argument (a path, program, host or account). */
const FIRST_STRING_TARGET = new Set(
  `open open64 creat fopen fopen64 freopen stat stat64 lstat lstat64 __xstat __lxstat __xstat64 __lxstat64 access
  eaccess euidaccess unlink remove rename mkdir rmdir opendir chdir realpath canonicalize_file_name readlink
  symlink link chmod chown lchown truncate truncate64 statfs statvfs getxattr lgetxattr setxattr lsetxattr
  listxattr removexattr utime utimes mkfifo execve execv execvp execvpe execl execlp execle system popen
  dlopen dlmopen getpwnam getpwnam_r getspnam getspnam_r getgrnam getgrnam_r
  gethostbyname gethostbyname2 gethostbyname_r getaddrinfo inet_addr inet_aton shm_open sem_open
  mq_open tmpnam mkstemp mkdtemp glob nftw ftw getenv secure_getenv setenv unsetenv putenv SYS_open SYS_execve
  SYS_unlink SYS_access SYS_stat SYS_lstat SYS_mkdir SYS_rmdir SYS_chdir SYS_rename SYS_chmod SYS_chown`
    .split(/\s+/)
    .filter(Boolean),
);
/** Functions whose target is their second argument (a directory descriptor comes first). */
const SECOND_STRING_TARGET = new Set(
  'openat openat64 fstatat newfstatat __fxstatat unlinkat mkdirat renameat renameat2 readlinkat fchmodat fchownat faccessat posix_spawn posix_spawnp inet_pton SYS_openat SYS_newfstatat SYS_unlinkat SYS_execveat SYS_faccessat SYS_mkdirat SYS_renameat'.split(' '),
);

/** The target of a library call: its path/program/host string argument, when the call has one. */
export function functionTarget(name: string, args: string): string | null {
  const n = baseFunctionName(name);
  const index = SECOND_STRING_TARGET.has(n) ? 1 : FIRST_STRING_TARGET.has(n) ? 0 : -1;
  if (index < 0) return null;
  const a = splitArgs(args, 0, args.length, index + 1)[index];
  return a === undefined ? null : unquote(a);
}
