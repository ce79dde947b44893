/// Keeps whoever waits on it waiting until the test releases it.
actor Hold {
    private var released = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if released { return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        released = true
        for waiter in waiting { waiter.resume() }
        waiting = []
    }
}
