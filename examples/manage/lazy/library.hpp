// Client libraries opened on first use, not linked (lazy/libpq.cpp,
// lazy/libmariadb.cpp).
//
// libpq and libmariadb bring TLS, Kerberos, LDAP and SASL libraries with
// them: linked in, they took manage's start from 10 ms to 27 ms on every
// command, SQLite runs included (docs/benchmarks.md). So manage defines each
// client function its adapters call, and each calls its namesake in the
// library, opened with dlopen on the first call. The compiler checks every
// definition against the client library's header.
//
// A library's functions are all looked up when it is opened: PQcancel runs
// in a signal handler (interrupt.hpp), where dlsym must not, and by then a
// connection has opened the library.
#pragma once

#include <dlfcn.h>

#include <string>

#include <tenant_migrator/errors.hpp>

namespace manage::lazy {

// dlopen(soname), or throws "<database> needs <soname> (Debian: <package>): <why>".
inline void* open(const char* soname, const char* database, const char* package) {
  void* library = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr)
    throw tenant_migrator::error(std::string(database) + " needs " + soname + " (Debian: " + package +
                                 "): " + dlerror());
  return library;
}

// The function `name` of `library`, as a pointer of type F; throws when it has none.
template <class F>
F function(void* library, const char* soname, const char* name) {
  void* found = dlsym(library, name);
  if (found == nullptr) throw tenant_migrator::error(std::string(soname) + " has no function " + name);
  return reinterpret_cast<F>(found);
}

}  // namespace manage::lazy

// For an X-macro list of function names: MANAGE_LAZY_MEMBER(name) declares
// a member `name` pointing to such a function; MANAGE_LAZY_LOOKUP(name) sets
// `f.name` from the local `library` (opened from `soname`).
#define MANAGE_LAZY_MEMBER(name) decltype(&::name) name = nullptr;
#define MANAGE_LAZY_LOOKUP(name) f.name = manage::lazy::function<decltype(&::name)>(library, soname, #name);
