import Dispatch

/// Where the server's tasks run: a queue of its own, so that answering
/// never waits for the shared cooperative threads, whatever else the
/// process is busy with.
final class ServerExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "ferlab.serve")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
