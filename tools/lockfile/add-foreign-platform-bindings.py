#!/usr/bin/env python3
# Usage: python3 tools/lockfile/add-foreign-platform-bindings.py package-lock.json  (after any `npm install`)
import json, sys
p = sys.argv[1]
lock = json.load(open(p))
pk = lock['packages']
# The registry reachable here serves only the linux builds of unrs-resolver's native bindings, so
# `npm install` cannot record the other platforms and `npm ci` then rejects the lock as out of sync.
# Entries that name their os/cpu are skipped by `npm ci` on other platforms without being fetched.
platform = {
 'android-arm-eabi': (['android'], ['arm'], None), 'android-arm64': (['android'], ['arm64'], None),
 'darwin-arm64': (['darwin'], ['arm64'], None), 'darwin-x64': (['darwin'], ['x64'], None),
 'freebsd-x64': (['freebsd'], ['x64'], None), 'linux-arm-gnueabihf': (['linux'], ['arm'], ['glibc']),
 'linux-arm-musleabihf': (['linux'], ['arm'], ['musl']), 'linux-arm64-gnu': (['linux'], ['arm64'], ['glibc']),
 'linux-arm64-musl': (['linux'], ['arm64'], ['musl']), 'linux-loong64-gnu': (['linux'], ['loong64'], ['glibc']),
 'linux-loong64-musl': (['linux'], ['loong64'], ['musl']), 'linux-ppc64-gnu': (['linux'], ['ppc64'], ['glibc']),
 'linux-riscv64-gnu': (['linux'], ['riscv64'], ['glibc']), 'linux-riscv64-musl': (['linux'], ['riscv64'], ['musl']),
 'linux-s390x-gnu': (['linux'], ['s390x'], ['glibc']), 'openharmony-arm64': (['openharmony'], ['arm64'], None),
 'win32-arm64-msvc': (['win32'], ['arm64'], None), 'win32-ia32-msvc': (['win32'], ['ia32'], None),
 'win32-x64-msvc': (['win32'], ['x64'], None),
}
added = []
for key, entry in list(pk.items()):
    for dep, ver in (entry.get('optionalDependencies') or {}).items():
        if not dep.startswith('@unrs/resolver-binding-'):
            continue
        path = 'node_modules/' + dep
        if path in pk:
            continue
        os_, cpu, libc = platform[dep[len('@unrs/resolver-binding-'):]]
        e = {'version': ver, 'cpu': cpu, 'dev': entry.get('dev', False), 'license': 'MIT', 'optional': True, 'os': os_}
        if libc: e['libc'] = libc
        if not e['dev']: del e['dev']
        pk[path] = e
        added.append(dep)
lock['packages'] = dict(sorted(pk.items(), key=lambda kv: (kv[0] != '', kv[0])))
json.dump(lock, open(p, 'w'), indent=2)
open(p, 'a').write('\n')
print('added', len(added))
