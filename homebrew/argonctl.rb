# Homebrew formula for argonctl (and its short alias `argon`).
#
#   brew install --formula ./homebrew/argonctl.rb    # from a checkout
#   brew test argonctl
#
# .github/workflows/release.yml rewrites the `url` and `sha256` lines below on
# every `v*` tag and opens a pull request with the result; edit anything else
# here by hand. tests/packaging/test_packaging.py runs the commands of the
# `test do` block against the locally built binary, so keep them plain
# `system bin/"...", "arg", ...` and `shell_output("#{bin}/... args")` calls.
class Argonctl < Formula
  desc "Git-style branching for MongoDB data: branch, diff, merge and time travel"
  homepage "https://github.com/argonctl/argonctl"
  url "https://github.com/argonctl/argonctl/archive/refs/tags/v0.1.0.tar.gz"
  # SHA256_PLACEHOLDER: release.yml replaces this all-zero value with the
  # sha256 of the tag's source tarball (the `url` above). Do not fill it in by hand.
  sha256 "0000000000000000000000000000000000000000000000000000000000000000"
  license "Apache-2.0"
  head "https://github.com/argonctl/argonctl.git", branch: "main"

  depends_on "rust" => :build

  def install
    # Installs both binaries of the crate: `argonctl` and `argon`.
    system "cargo", "install", *std_cargo_args

    bash_completion.install "completions/argonctl.bash" => "argonctl"
    zsh_completion.install "completions/_argonctl"
    fish_completion.install "completions/argonctl.fish"
    man1.install Dir["man/*.1"]
  end

  test do
    ENV["ARGON_HOME"] = testpath.to_s
    ENV["NO_COLOR"] = "1"

    assert_match version.to_s, shell_output("#{bin}/argonctl --version")
    system bin/"argonctl", "projects", "create", "--name", "demo"
    system bin/"argonctl", "branches", "create", "feature", "--from", "main"

    branches = JSON.parse(shell_output("#{bin}/argon branches list -o json"))
    assert_equal %w[feature main], branches.map { |b| b["name"] }.sort
    feature = branches.find { |b| b["name"] == "feature" }
    assert_equal "main", feature["parent"]
    assert_equal false, feature["is_default"]

    # Usage errors exit with 2 (documented in docs/scripting.md).
    shell_output("#{bin}/argonctl no-such-command 2>&1", 2)
  end
end
