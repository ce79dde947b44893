import Vapor
import Fluent
import FluentSQLiteDriver
import FluentPostgresDriver
import Leaf
import Prometheus
import ArgumentParser
public enum Placeholder3 {}
