#pragma once

#include <functional>
#include <future>
#include <thread>
#include <vector>

namespace idclaim::testing {

/// Runs `body(i)` for i in [0, n) on n threads released at the same moment
/// (a shared start signal, not a sleep), and waits for all of them.
template <class Body>
void concurrently(int n, Body body) {
  std::promise<void> go;
  auto start = go.get_future().share();
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([i, start, &body] {
      start.wait();
      body(i);
    });
  go.set_value();
  for (auto& t : threads)
    t.join();
}

} // namespace idclaim::testing
