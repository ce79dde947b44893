import ArgumentParser

// Vapor re-exports ConsoleKit, which has its own Option, Flag and Argument; these names say
// which ones the commands mean.
typealias Option = ArgumentParser.Option
typealias Flag = ArgumentParser.Flag
typealias Argument = ArgumentParser.Argument
