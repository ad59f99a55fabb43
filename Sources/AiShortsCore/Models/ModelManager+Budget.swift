import Logging
import Foundation

extension ModelManager {
    /// Makes sure loading `request` keeps the loaded models within the memory budget.
    ///
    /// Idle models are released first, least recently used first. When the rest are in use, the load
    /// waits for one to become idle, up to ``Configuration/budgetWait``.
    /// - Throws: ``ModelError`` (`overBudget`) when the model alone exceeds the budget or no room
    ///   appears in time.
    func makeRoom<Model>(for request: ModelRequest<Model>) async throws {
        guard let budget = configuration.memoryBudget else { return }
        let need = request.estimatedBytes
        if need > budget {
            throw ModelError(.overBudget,
                             "\(request.name) needs about \(ProcessMemory.megabytes(need)) but the model memory budget is \(ProcessMemory.megabytes(budget)); raise --memory-budget")
        }
        let clock = configuration.clock
        let deadline = clock.now + configuration.budgetWait
        while accountedBytes + need > budget {
            // Only ids and times leave the dictionary: a copied entry would keep its model alive.
            let idle = entries.compactMap { id, entry -> (id: String, lastUse: Duration)? in
                if entry.users == 0, case .ready = entry.state { return (id, entry.lastUse) }
                return nil
            }
            if let oldest = idle.min(by: { $0.lastUse < $1.lastUse }) {
                configuration.logger.info("releasing idle \(entries[oldest.id]?.name ?? oldest.id) to make room for \(request.name)")
                release(oldest.id)
                continue
            }
            try Task.checkCancellation()
            if clock.now >= deadline {
                let busy = entries.values.map(\.name).sorted().joined(separator: ", ")
                throw ModelError(.overBudget,
                                 "\(request.name) needs about \(ProcessMemory.megabytes(need)) but \(ProcessMemory.megabytes(accountedBytes)) of the \(ProcessMemory.megabytes(budget)) model memory budget is held by models in use (\(busy)) and none was freed within \(Int(configuration.budgetWait.inSeconds)) s; raise --memory-budget or run fewer jobs at once")
            }
            await waitForBudgetChange(until: deadline)
        }
    }

    /// Suspends until a model is released or becomes idle, or until `deadline`.
    func waitForBudgetChange(until deadline: Duration) async {
        let id = nextWaiter
        nextWaiter += 1
        let clock = configuration.clock
        let timer = Task { [weak self] in
            try? await clock.sleep(until: deadline)
            await self?.wakeBudgetWaiter(id)
        }
        // A cancelled job stops waiting at once (the loop above then throws CancellationError).
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume()
                } else {
                    budgetWaiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.wakeBudgetWaiter(id) }
        }
        timer.cancel()
    }

    func wakeBudgetWaiter(_ id: Int) {
        budgetWaiters.removeValue(forKey: id)?.resume()
    }

    func wakeBudgetWaiters() {
        let waiters = budgetWaiters
        budgetWaiters = [:]
        for continuation in waiters.values { continuation.resume() }
    }
}
