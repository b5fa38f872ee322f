// MaxConnectionsPerServer: a ConnectionPolicy around another that lets at
// most `limit` connections to any one server be in use at once, across all
// the workers of a run (ParallelExecution). A worker that would go over
// waits until another gives its connection back.
//
// The server of a target is the adapter's server_of(target)
// (capability::server_identity; PostgreSQL: host, port, user); an adapter
// without it is taken to have one server. It counts the connections the
// wrapped policy lends (inside with_connection); a policy that keeps idle
// connections open between tenants (ReuseConnectionPerServer) holds one
// more per worker and server at most.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "../concepts/capabilities.hpp"
#include "../concepts/connection_policy.hpp"

namespace tenant_migrator {

// A counting semaphore per server, shared by the workers' policies.
class server_connection_slots {
 public:
  explicit server_connection_slots(std::size_t limit) : limit_(limit < 1 ? 1 : limit) {}

  std::size_t limit() const noexcept { return limit_; }

  void acquire(const std::string& server) {
    std::unique_lock lock(mutex_);
    freed_.wait(lock, [&] { return in_use_[server] < limit_; });
    std::size_t now = ++in_use_[server];
    if (now > peak_) peak_ = now;
  }
  void release(const std::string& server) {
    {
      std::lock_guard lock(mutex_);
      --in_use_[server];
    }
    freed_.notify_all();
  }
  // The most connections in use to one server at any time so far.
  std::size_t peak() const {
    std::lock_guard lock(mutex_);
    return peak_;
  }

 private:
  std::size_t limit_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::map<std::string, std::size_t> in_use_;
  std::size_t peak_ = 0;
};

template <class Inner>
class MaxConnectionsPerServer {
  static_assert(check_connection_policy<Inner>());

 public:
  using adapter_type = typename Inner::adapter_type;

  MaxConnectionsPerServer(Inner inner, std::size_t limit)
      : inner_(std::move(inner)), slots_(std::make_shared<server_connection_slots>(limit)) {}

  adapter_type& adapter() noexcept { return inner_.adapter(); }
  const server_connection_slots& slots() const noexcept { return *slots_; }

  template <class F>
  decltype(auto) with_connection(const std::string& target, F&& f) {
    struct slot {
      server_connection_slots& slots;
      std::string server;
      slot(server_connection_slots& s, std::string name) : slots(s), server(std::move(name)) { slots.acquire(server); }
      ~slot() { slots.release(server); }
    } held(*slots_, server_of(target));
    return inner_.with_connection(target, std::forward<F>(f));
  }

  // Another worker's policy: its own inner policy, the same slots.
  MaxConnectionsPerServer for_worker()
    requires requires(Inner& inner) { inner.for_worker(); }
  {
    return MaxConnectionsPerServer(inner_.for_worker(), slots_);
  }

 private:
  MaxConnectionsPerServer(Inner inner, std::shared_ptr<server_connection_slots> slots)
      : inner_(std::move(inner)), slots_(std::move(slots)) {}

  std::string server_of(const std::string& target) {
    if constexpr (claims<adapter_type, capability::server_identity>)
      return inner_.adapter().server_of(target);
    else
      return {};
  }

  Inner inner_;
  std::shared_ptr<server_connection_slots> slots_;
};

}  // namespace tenant_migrator
