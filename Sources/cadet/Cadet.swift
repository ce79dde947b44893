import ArgumentParser
import CadetApp

/// The executable is only this: everything else lives in CadetApp, where tests can reach it.
/// (`@main` rather than top-level code: with top-level `await`, ArgumentParser's synchronous
/// `main()` is chosen and refuses to run async commands.)
@main
struct Cadet: AsyncParsableCommand {
    static let configuration = CadetCommand.configuration
}
