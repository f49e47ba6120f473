// Jobs run on a fixed set of worker threads; results come back in the order
// the jobs were submitted. This is all the parallelism the codec pipelines
// need: compress (or decompress) blocks concurrently, write them in order.
// With one thread, jobs run inline at submit() and no thread is started.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace brine::codec {

template <class Result>
class ordered_work {
public:
    explicit ordered_work(unsigned threads) {
        if (threads > 1)
            for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this](std::stop_token stop) { run(stop); });
    }
    ordered_work(const ordered_work&) = delete;
    ordered_work& operator=(const ordered_work&) = delete;
    ~ordered_work() {
        for (auto& w : workers_) w.request_stop();
        wake_.notify_all();
        workers_.clear();  // joins; queued jobs are dropped with their futures
    }

    void submit(std::function<Result()> job) {
        std::packaged_task<Result()> task(std::move(job));
        results_.push_back(task.get_future());
        if (workers_.empty()) {
            task();
            return;
        }
        {
            std::lock_guard lock(mutex_);
            queue_.push_back(std::move(task));
        }
        wake_.notify_one();
    }
    // The oldest result; waits for it; rethrows what its job threw.
    Result next() {
        auto future = std::move(results_.front());
        results_.pop_front();
        return future.get();
    }
    std::size_t pending() const { return results_.size(); }

private:
    void run(std::stop_token stop) {
        for (;;) {
            std::packaged_task<Result()> task;
            {
                std::unique_lock lock(mutex_);
                wake_.wait(lock, stop, [&] { return !queue_.empty(); });
                if (stop.stop_requested()) return;
                task = std::move(queue_.front());
                queue_.pop_front();
            }
            task();
        }
    }

    std::deque<std::future<Result>> results_;  // touched by the owner's thread only
    std::mutex mutex_;
    std::condition_variable_any wake_;
    std::deque<std::packaged_task<Result()>> queue_;
    std::vector<std::jthread> workers_;  // last: joined before the rest is destroyed
};

}  // namespace brine::codec
