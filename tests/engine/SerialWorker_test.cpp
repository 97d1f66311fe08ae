#include "orgsim/engine/SerialWorker.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace orgsim;

TEST_CASE("tasks run in the order submitted, and drain waits for all of them", "[serialworker]") {
  std::vector<int> order;
  engine::SerialWorker worker(3);
  for (int k = 0; k < 100; ++k) {
    worker.submit([&order, k] {
      if (k % 10 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      order.push_back(k);
    });
  }
  worker.drain();
  REQUIRE(order.size() == 100);
  for (int k = 0; k < 100; ++k) CHECK(order[static_cast<std::size_t>(k)] == k);
}

TEST_CASE("no more than the capacity waits: a submit beyond it waits for room", "[serialworker]") {
  std::atomic<bool> release{false};
  std::atomic<int> submitted{0};
  engine::SerialWorker worker(2);
  std::thread producer([&] {
    // The first task blocks the worker; two more fill the queue; the fourth must wait.
    worker.submit([&] {
      while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    });
    for (int k = 0; k < 3; ++k) {
      worker.submit([] {});
      ++submitted;
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(submitted.load() == 2);
  release.store(true);
  producer.join();
  CHECK(submitted.load() == 3);
  worker.drain();
}

TEST_CASE("a failed task's exception reaches the caller, and later tasks do not run",
          "[serialworker]") {
  std::atomic<int> ran{0};
  engine::SerialWorker worker(8);
  int reported = 0;
  auto expect_failure = [&](const std::function<void()>& call) {
    try {
      call();
    } catch (const std::runtime_error& error) {
      CHECK(std::string(error.what()) == "disk full");
      ++reported;
    }
  };
  worker.submit([] { throw std::runtime_error("disk full"); });
  // Queued before the failure shows, or refused with it: either way it never runs.
  expect_failure([&] { worker.submit([&] { ++ran; }); });
  expect_failure([&] { worker.drain(); });
  CHECK(reported == 1);  // reported once
  CHECK_NOTHROW(worker.submit([&] { ++ran; }));
  worker.drain();
  CHECK(ran.load() == 0);
}

TEST_CASE("destroying the worker finishes what was submitted", "[serialworker]") {
  std::atomic<int> ran{0};
  {
    engine::SerialWorker worker(4);
    for (int k = 0; k < 10; ++k) worker.submit([&] { ++ran; });
  }
  CHECK(ran.load() == 10);
}
