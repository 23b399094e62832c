fn main() {
    std::process::exit(argonctl::cli::main())
}
