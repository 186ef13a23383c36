import Synchronization

/// An async counting semaphore: at most `limit` holders at once, waiters served first come, first
/// served. A waiter whose task is cancelled leaves the queue and gets `CancellationError`.
///
/// The executor's calls acquire a slot inside their own child task, so the cap holds whether calls
/// were started all at once or one by one while the response streamed.
final class ConcurrencyLimiter: Sendable {
    private struct State {
        var available: Int
        var nextWaiterID = 0
        // At most one response's calls wait here, so removing from the front of an array is cheap enough.
        var waiters: [(id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
    }

    private let state: Mutex<State>

    init(limit: Int) {
        state = Mutex(State(available: max(1, limit)))
    }

    /// Waits for a slot. Pair every successful call with one ``release()``.
    ///
    /// - Throws: `CancellationError` when the task is cancelled before it gets a slot.
    func acquire() async throws {
        if Task.isCancelled { throw CancellationError() }
        // Fast path: a free slot and nobody queued. Taking it without a continuation spares a suspension.
        let id: Int? = state.withLock { state in
            if state.available > 0 && state.waiters.isEmpty {
                state.available -= 1
                return nil
            }
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if state.available > 0 {
                        state.available -= 1
                        return .success(())
                    }
                    state.waiters.append((id, continuation))
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                state.waiters.firstIndex { $0.id == id }.map { state.waiters.remove(at: $0) }
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Frees a slot, handing it straight to the longest waiter if there is one.
    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            if !state.waiters.isEmpty { return state.waiters.removeFirst().continuation }
            state.available += 1
            return nil
        }
        next?.resume()
    }
}
