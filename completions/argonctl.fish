# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_argonctl_global_optspecs
    string join \n data-dir= p/project= o/output= no-color q/quiet h/help V/version
end

function __fish_argonctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_argonctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_argonctl_using_subcommand
    set -l cmd (__fish_argonctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c argonctl -n "__fish_argonctl_needs_command" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_needs_command" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_needs_command" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_needs_command" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_needs_command" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_needs_command" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_needs_command" -f -a "projects" -d 'Create, list, show and delete projects (one MongoDB database each)'
complete -c argonctl -n "__fish_argonctl_needs_command" -f -a "branches" -d 'Create, list, merge, reset, rename and delete branches'
complete -c argonctl -n "__fish_argonctl_needs_command" -f -a "merge" -d 'Merge a branch into another (three-way, field-level)'
complete -c argonctl -n "__fish_argonctl_needs_command" -f -a "revert" -d 'Undo a commit or a range of changes as a new commit'
complete -c argonctl -n "__fish_argonctl_needs_command" -f -a "conflicts" -d 'List, show and resolve the conflicts of a merge in progress'
complete -c argonctl -n "__fish_argonctl_needs_command" -f -a "diff" -d 'Show document-level changes between two points'
complete -c argonctl -n "__fish_argonctl_needs_command" -f -a "log" -d 'Show the history of a branch or any point'
complete -c argonctl -n "__fish_argonctl_needs_command" -f -a "tags" -d 'Create, list and delete tags (immutable names for points)'
complete -c argonctl -n "__fish_argonctl_needs_command" -f -a "import" -d 'Import documents from Extended JSON, NDJSON, JSON arrays or .bson files'
complete -c argonctl -n "__fish_argonctl_needs_command" -f -a "export" -d 'Export a point\'s collections as Extended JSON or BSON files'
complete -c argonctl -n "__fish_argonctl_needs_command" -f -a "data" -d 'Read and write documents (for scripts and quick looks)'
complete -c argonctl -n "__fish_argonctl_needs_command" -f -a "gc" -d 'Remove data no branch, tag or the retention window needs'
complete -c argonctl -n "__fish_argonctl_needs_command" -f -a "status" -d 'Show the current project, branch and its collections'
complete -c argonctl -n "__fish_argonctl_needs_command" -f -a "serve" -d 'Serve every branch to unmodified MongoDB drivers'
complete -c argonctl -n "__fish_argonctl_needs_command" -f -a "demo" -d 'Build a demo project: import, branch, diff and merge in seconds'
complete -c argonctl -n "__fish_argonctl_needs_command" -f -a "tui" -d 'Open the terminal UI: branches, history, diffs and merge conflicts'
complete -c argonctl -n "__fish_argonctl_needs_command" -f -a "use" -d 'Set this directory\'s default project and branch (writes .argon)'
complete -c argonctl -n "__fish_argonctl_needs_command" -f -a "version" -d 'Print version information'
complete -c argonctl -n "__fish_argonctl_needs_command" -f -a "completion" -d 'Print a shell completion script'
complete -c argonctl -n "__fish_argonctl_needs_command" -f -a "man" -d 'Print the man page (or write all pages to a directory)'
complete -c argonctl -n "__fish_argonctl_needs_command" -f -a "debug" -d 'Internal commands for tests and diagnostics'
complete -c argonctl -n "__fish_argonctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and not __fish_seen_subcommand_from create list show delete help" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and not __fish_seen_subcommand_from create list show delete help" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and not __fish_seen_subcommand_from create list show delete help" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and not __fish_seen_subcommand_from create list show delete help" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and not __fish_seen_subcommand_from create list show delete help" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and not __fish_seen_subcommand_from create list show delete help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and not __fish_seen_subcommand_from create list show delete help" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and not __fish_seen_subcommand_from create list show delete help" -f -a "create" -d 'Create a project'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and not __fish_seen_subcommand_from create list show delete help" -f -a "list" -d 'List projects'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and not __fish_seen_subcommand_from create list show delete help" -f -a "show" -d 'Show one project'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and not __fish_seen_subcommand_from create list show delete help" -f -a "delete" -d 'Delete a project and all its branches and history'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and not __fish_seen_subcommand_from create list show delete help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from create" -s n -l name -d 'Project name (letters, digits, \'-\' and \'_\')' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from create" -s d -l description -d 'What the project holds' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from create" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from create" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from create" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from list" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from list" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from show" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from show" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from show" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from delete" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from delete" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from delete" -l yes -d 'Confirm the deletion'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from delete" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a project'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from help" -f -a "list" -d 'List projects'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one project'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a project and all its branches and history'
complete -c argonctl -n "__fish_argonctl_using_subcommand projects; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and not __fish_seen_subcommand_from create list show delete rename connect merge reset help" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and not __fish_seen_subcommand_from create list show delete rename connect merge reset help" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and not __fish_seen_subcommand_from create list show delete rename connect merge reset help" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and not __fish_seen_subcommand_from create list show delete rename connect merge reset help" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and not __fish_seen_subcommand_from create list show delete rename connect merge reset help" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and not __fish_seen_subcommand_from create list show delete rename connect merge reset help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and not __fish_seen_subcommand_from create list show delete rename connect merge reset help" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and not __fish_seen_subcommand_from create list show delete rename connect merge reset help" -f -a "create" -d 'Create a branch at any point (instant: nothing is copied)'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and not __fish_seen_subcommand_from create list show delete rename connect merge reset help" -f -a "list" -d 'List branches'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and not __fish_seen_subcommand_from create list show delete rename connect merge reset help" -f -a "show" -d 'Show one branch'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and not __fish_seen_subcommand_from create list show delete rename connect merge reset help" -f -a "delete" -d 'Delete a branch (its history stays reachable from other refs)'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and not __fish_seen_subcommand_from create list show delete rename connect merge reset help" -f -a "rename" -d 'Rename a branch'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and not __fish_seen_subcommand_from create list show delete rename connect merge reset help" -f -a "connect" -d 'Print a MongoDB connection string for a branch (served by `argonctl serve`)'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and not __fish_seen_subcommand_from create list show delete rename connect merge reset help" -f -a "merge" -d 'Merge a branch into another (same as `argonctl merge`)'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and not __fish_seen_subcommand_from create list show delete rename connect merge reset help" -f -a "reset" -d 'Point a branch at another state (time travel); keep the old head with --backup'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and not __fish_seen_subcommand_from create list show delete rename connect merge reset help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from create" -l from -d 'Where to branch from: a branch, tag, commit, BRANCH@lsn:N or BRANCH@<RFC 3339 time>' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from create" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from create" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from create" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from list" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from list" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from show" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from show" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from show" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from delete" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from delete" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from delete" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from rename" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from rename" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from rename" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from rename" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from rename" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from rename" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from connect" -l host -r
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from connect" -l port -r
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from connect" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from connect" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from connect" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from connect" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from connect" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from connect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from connect" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from merge" -l into -d 'The branch to merge into (default: the current branch)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from merge" -l strategy -d 'What to do with conflicts' -r -f -a "fail\t'Stop on conflicts and keep them for resolution (default)'
ours\t'Resolve every conflict with the destination\'s value'
theirs\t'Resolve every conflict with the source\'s value'"
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from merge" -l strategy-for -d 'A strategy for one collection, e.g. --strategy-for logs=theirs (repeatable)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from merge" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from merge" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from merge" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from merge" -l dry-run -d 'Report what would change and every conflict; change nothing'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from merge" -l continue -d 'Apply the in-progress merge once all conflicts are resolved'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from merge" -l abort -d 'Drop the in-progress merge'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from merge" -s i -l interactive -d 'Resolve conflicts in the terminal UI when the merge stops on them (exits 0 once committed there, 3 if left unresolved)'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from merge" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from merge" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from merge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from merge" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from reset" -l to -d 'The state to reset to (any ref)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from reset" -l backup -d 'Keep the current head as a new branch with this name' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from reset" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from reset" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from reset" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from reset" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from reset" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from reset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from reset" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a branch at any point (instant: nothing is copied)'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from help" -f -a "list" -d 'List branches'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one branch'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a branch (its history stays reachable from other refs)'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from help" -f -a "rename" -d 'Rename a branch'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from help" -f -a "connect" -d 'Print a MongoDB connection string for a branch (served by `argonctl serve`)'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from help" -f -a "merge" -d 'Merge a branch into another (same as `argonctl merge`)'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from help" -f -a "reset" -d 'Point a branch at another state (time travel); keep the old head with --backup'
complete -c argonctl -n "__fish_argonctl_using_subcommand branches; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c argonctl -n "__fish_argonctl_using_subcommand merge" -l into -d 'The branch to merge into (default: the current branch)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand merge" -l strategy -d 'What to do with conflicts' -r -f -a "fail\t'Stop on conflicts and keep them for resolution (default)'
ours\t'Resolve every conflict with the destination\'s value'
theirs\t'Resolve every conflict with the source\'s value'"
complete -c argonctl -n "__fish_argonctl_using_subcommand merge" -l strategy-for -d 'A strategy for one collection, e.g. --strategy-for logs=theirs (repeatable)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand merge" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand merge" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand merge" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand merge" -l dry-run -d 'Report what would change and every conflict; change nothing'
complete -c argonctl -n "__fish_argonctl_using_subcommand merge" -l continue -d 'Apply the in-progress merge once all conflicts are resolved'
complete -c argonctl -n "__fish_argonctl_using_subcommand merge" -l abort -d 'Drop the in-progress merge'
complete -c argonctl -n "__fish_argonctl_using_subcommand merge" -s i -l interactive -d 'Resolve conflicts in the terminal UI when the merge stops on them (exits 0 once committed there, 3 if left unresolved)'
complete -c argonctl -n "__fish_argonctl_using_subcommand merge" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand merge" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand merge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand merge" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand revert" -s b -l branch -d 'Branch to revert on (default: the current branch)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand revert" -l strategy -r -f -a "fail\t'Stop on conflicts and keep them for resolution (default)'
ours\t'Resolve every conflict with the destination\'s value'
theirs\t'Resolve every conflict with the source\'s value'"
complete -c argonctl -n "__fish_argonctl_using_subcommand revert" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand revert" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand revert" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand revert" -l dry-run -d 'Report what would change; change nothing'
complete -c argonctl -n "__fish_argonctl_using_subcommand revert" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand revert" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand revert" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand revert" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and not __fish_seen_subcommand_from list show resolve help" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and not __fish_seen_subcommand_from list show resolve help" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and not __fish_seen_subcommand_from list show resolve help" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and not __fish_seen_subcommand_from list show resolve help" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and not __fish_seen_subcommand_from list show resolve help" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and not __fish_seen_subcommand_from list show resolve help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and not __fish_seen_subcommand_from list show resolve help" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and not __fish_seen_subcommand_from list show resolve help" -f -a "list" -d 'List the conflicts of the merge in progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and not __fish_seen_subcommand_from list show resolve help" -f -a "show" -d 'Show one conflict with its base, ours and theirs values'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and not __fish_seen_subcommand_from list show resolve help" -f -a "resolve" -d 'Resolve one conflict'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and not __fish_seen_subcommand_from list show resolve help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from list" -l into -d 'The branch being merged into (default: the one with a merge in progress)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from list" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from list" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from show" -l into -r
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from show" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from show" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from show" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from resolve" -l into -r
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from resolve" -l value -d 'Use this value (Extended JSON; null removes the field)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from resolve" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from resolve" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from resolve" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from resolve" -l ours -d 'Keep the destination\'s value'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from resolve" -l theirs -d 'Take the source\'s value'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from resolve" -l base -d 'Go back to the merge base\'s value'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from resolve" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from resolve" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from resolve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from resolve" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the conflicts of the merge in progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one conflict with its base, ours and theirs values'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from help" -f -a "resolve" -d 'Resolve one conflict'
complete -c argonctl -n "__fish_argonctl_using_subcommand conflicts; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c argonctl -n "__fish_argonctl_using_subcommand diff" -s c -l collection -d 'Only this collection' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand diff" -l format -r -f -a "text\t'Colorized unified diff of each changed document'
side-by-side\t'Before and after in two columns'
json\t'The documented JSON shape (same as -o json)'
patch\t'RFC 6902 JSON Patch per document, one JSON object per line'"
complete -c argonctl -n "__fish_argonctl_using_subcommand diff" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand diff" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand diff" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand diff" -l stat -d 'Only counts per collection'
complete -c argonctl -n "__fish_argonctl_using_subcommand diff" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand diff" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand diff" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand log" -s n -l limit -d 'Show at most this many entries' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand log" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand log" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand log" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand log" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand log" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand log" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand log" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and not __fish_seen_subcommand_from create list delete help" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and not __fish_seen_subcommand_from create list delete help" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and not __fish_seen_subcommand_from create list delete help" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and not __fish_seen_subcommand_from create list delete help" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and not __fish_seen_subcommand_from create list delete help" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and not __fish_seen_subcommand_from create list delete help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and not __fish_seen_subcommand_from create list delete help" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and not __fish_seen_subcommand_from create list delete help" -f -a "create" -d 'Name a point permanently (protected from gc)'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and not __fish_seen_subcommand_from create list delete help" -f -a "list" -d 'List tags'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and not __fish_seen_subcommand_from create list delete help" -f -a "delete" -d 'Delete a tag'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and not __fish_seen_subcommand_from create list delete help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from create" -l at -d 'The point to tag (any ref; default: the current branch)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from create" -s m -l message -d 'A note stored with the tag' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from create" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from create" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from create" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from list" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from list" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from delete" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from delete" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from delete" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from help" -f -a "create" -d 'Name a point permanently (protected from gc)'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from help" -f -a "list" -d 'List tags'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a tag'
complete -c argonctl -n "__fish_argonctl_using_subcommand tags; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c argonctl -n "__fish_argonctl_using_subcommand import" -s c -l collection -d 'Collection to import into (default: the file\'s name)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand import" -s b -l branch -d 'Branch to import into (default: the current branch)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand import" -l mode -d 'insert fails on existing _ids; upsert replaces them' -r -f -a "insert\t'Fail on an existing `_id` (and import nothing)'
upsert\t'Replace documents with the same `_id`'"
complete -c argonctl -n "__fish_argonctl_using_subcommand import" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand import" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand import" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand import" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand import" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand import" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand export" -l out -d 'Directory to write into (created if needed)' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand export" -s c -l collection -d 'Export only this collection' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand export" -l format -d 'File format' -r -f -a "json\t'Canonical Extended JSON, one document per line (exact types)'
relaxed\t'Relaxed Extended JSON, one document per line (as mongoexport)'
bson\t'Concatenated BSON, as mongodump writes'"
complete -c argonctl -n "__fish_argonctl_using_subcommand export" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand export" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand export" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand export" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand export" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand export" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and not __fish_seen_subcommand_from find aggregate get count insert replace delete help" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and not __fish_seen_subcommand_from find aggregate get count insert replace delete help" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and not __fish_seen_subcommand_from find aggregate get count insert replace delete help" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and not __fish_seen_subcommand_from find aggregate get count insert replace delete help" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and not __fish_seen_subcommand_from find aggregate get count insert replace delete help" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and not __fish_seen_subcommand_from find aggregate get count insert replace delete help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and not __fish_seen_subcommand_from find aggregate get count insert replace delete help" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and not __fish_seen_subcommand_from find aggregate get count insert replace delete help" -f -a "find" -d 'Print documents matching a filter (in _id order unless --sort)'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and not __fish_seen_subcommand_from find aggregate get count insert replace delete help" -f -a "aggregate" -d 'Run an aggregation pipeline and print its results'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and not __fish_seen_subcommand_from find aggregate get count insert replace delete help" -f -a "get" -d 'Print one document by _id (JSON value: 42, \'"ada"\', \'{"$oid":"..."}\'; other text is a string)'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and not __fish_seen_subcommand_from find aggregate get count insert replace delete help" -f -a "count" -d 'Count documents matching a filter'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and not __fish_seen_subcommand_from find aggregate get count insert replace delete help" -f -a "insert" -d 'Insert documents (Extended JSON arguments, or \'-\' to read NDJSON from stdin)'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and not __fish_seen_subcommand_from find aggregate get count insert replace delete help" -f -a "replace" -d 'Replace documents by _id, inserting those that do not exist'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and not __fish_seen_subcommand_from find aggregate get count insert replace delete help" -f -a "delete" -d 'Delete documents by _id'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and not __fish_seen_subcommand_from find aggregate get count insert replace delete help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from find" -s b -l branch -l at -d 'Branch or any ref to read (default: the current branch)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from find" -s f -l filter -d 'A MongoDB query filter as (Extended) JSON' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from find" -s s -l sort -d 'Sort order, e.g. \'{"age": -1, "_id": 1}\'' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from find" -l projection -d 'Fields to return, as a find projection: \'{"name": 1}\', \'{"big": 0}\', or computed \'{"n": {"$size": "$tags"}}\'' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from find" -l skip -d 'Skip this many matching documents first' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from find" -s n -l limit -d 'Print at most this many documents' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from find" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from find" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from find" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from find" -l canonical -d 'Print canonical Extended JSON (exact types) instead of relaxed'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from find" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from find" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from find" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from find" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from aggregate" -s b -l branch -l at -d 'Branch or any ref to read (default: the current branch)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from aggregate" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from aggregate" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from aggregate" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from aggregate" -l canonical -d 'Print canonical Extended JSON (exact types) instead of relaxed'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from aggregate" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from aggregate" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from aggregate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from aggregate" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from get" -s b -l branch -l at -d 'Branch or any ref to read (default: the current branch)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from get" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from get" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from get" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from get" -l canonical -d 'Print canonical Extended JSON (exact types) instead of relaxed'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from get" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from get" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from count" -s b -l branch -l at -d 'Branch or any ref to read (default: the current branch)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from count" -s f -l filter -r
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from count" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from count" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from count" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from count" -l canonical -d 'Print canonical Extended JSON (exact types) instead of relaxed'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from count" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from count" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from count" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from count" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from insert" -s b -l branch -d 'Branch to write to (default: the current branch)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from insert" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from insert" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from insert" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from insert" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from insert" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from insert" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from insert" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from replace" -s b -l branch -r
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from replace" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from replace" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from replace" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from replace" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from replace" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from replace" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from replace" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from delete" -s b -l branch -r
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from delete" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from delete" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from delete" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from help" -f -a "find" -d 'Print documents matching a filter (in _id order unless --sort)'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from help" -f -a "aggregate" -d 'Run an aggregation pipeline and print its results'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from help" -f -a "get" -d 'Print one document by _id (JSON value: 42, \'"ada"\', \'{"$oid":"..."}\'; other text is a string)'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from help" -f -a "count" -d 'Count documents matching a filter'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from help" -f -a "insert" -d 'Insert documents (Extended JSON arguments, or \'-\' to read NDJSON from stdin)'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from help" -f -a "replace" -d 'Replace documents by _id, inserting those that do not exist'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete documents by _id'
complete -c argonctl -n "__fish_argonctl_using_subcommand data; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c argonctl -n "__fish_argonctl_using_subcommand gc" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand gc" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand gc" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand gc" -l dry-run -d 'Report what would be freed without deleting anything'
complete -c argonctl -n "__fish_argonctl_using_subcommand gc" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand gc" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand gc" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand gc" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand status" -s b -l branch -d 'Branch or ref to show (default: the current branch)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand status" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand status" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand status" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand status" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand status" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand status" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand serve" -l host -d 'Address to listen on (loopback by default)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand serve" -l port -d 'Port to listen on (0 picks a free one)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand serve" -l cache-mb -d 'Memory for cached tree nodes, per open project, in MiB (a scan of a large collection fills it; it never grows past this)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand serve" -l ttl-interval -d 'Seconds between passes of the TTL monitor, which deletes expired documents of TTL indexes on default branches (mongod: 60)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand serve" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand serve" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand serve" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand serve" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand serve" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand serve" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand demo" -l name -d 'Name of the demo project' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand demo" -l documents -d 'Number of generated customer documents' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand demo" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand demo" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand demo" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand demo" -l force -d 'Replace an existing project of that name even if the demo did not make it'
complete -c argonctl -n "__fish_argonctl_using_subcommand demo" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand demo" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand demo" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand tui" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand tui" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand tui" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand tui" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand tui" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand tui" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand tui" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand use" -s b -l branch -d 'Branch to use here (default: the project\'s default branch)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand use" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand use" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand use" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand use" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand use" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand use" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand version" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand version" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand version" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand version" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand version" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand version" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand version" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand completion" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand completion" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand completion" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand completion" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand completion" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand completion" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand completion" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand man" -l out-dir -d 'Write one page per command into this directory' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand man" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand man" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand man" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand man" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand man" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand man" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand debug; and not __fish_seen_subcommand_from write-loop help" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand debug; and not __fish_seen_subcommand_from write-loop help" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand debug; and not __fish_seen_subcommand_from write-loop help" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand debug; and not __fish_seen_subcommand_from write-loop help" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand debug; and not __fish_seen_subcommand_from write-loop help" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand debug; and not __fish_seen_subcommand_from write-loop help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand debug; and not __fish_seen_subcommand_from write-loop help" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand debug; and not __fish_seen_subcommand_from write-loop help" -f -a "write-loop" -d 'Insert one document per batch forever (or --count times), printing `acked ID` after each write is durable (crash tests use this)'
complete -c argonctl -n "__fish_argonctl_using_subcommand debug; and not __fish_seen_subcommand_from write-loop help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c argonctl -n "__fish_argonctl_using_subcommand debug; and __fish_seen_subcommand_from write-loop" -l collection -r
complete -c argonctl -n "__fish_argonctl_using_subcommand debug; and __fish_seen_subcommand_from write-loop" -l start -r
complete -c argonctl -n "__fish_argonctl_using_subcommand debug; and __fish_seen_subcommand_from write-loop" -l count -r
complete -c argonctl -n "__fish_argonctl_using_subcommand debug; and __fish_seen_subcommand_from write-loop" -s b -l branch -r
complete -c argonctl -n "__fish_argonctl_using_subcommand debug; and __fish_seen_subcommand_from write-loop" -l data-dir -d 'Data directory of the embedded engine' -r -F
complete -c argonctl -n "__fish_argonctl_using_subcommand debug; and __fish_seen_subcommand_from write-loop" -s p -l project -d 'Project to work on (default: from .argon, or the only project)' -r
complete -c argonctl -n "__fish_argonctl_using_subcommand debug; and __fish_seen_subcommand_from write-loop" -s o -l output -d 'Output format of data on stdout' -r -f -a "table\t'Human-readable tables and text'
json\t'Stable machine-readable JSON'
yaml\t'The same data as YAML'"
complete -c argonctl -n "__fish_argonctl_using_subcommand debug; and __fish_seen_subcommand_from write-loop" -l no-color -d 'Never color output (NO_COLOR is respected too)'
complete -c argonctl -n "__fish_argonctl_using_subcommand debug; and __fish_seen_subcommand_from write-loop" -s q -l quiet -d 'Print only data: no status lines, hints or progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand debug; and __fish_seen_subcommand_from write-loop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c argonctl -n "__fish_argonctl_using_subcommand debug; and __fish_seen_subcommand_from write-loop" -s V -l version -d 'Print version'
complete -c argonctl -n "__fish_argonctl_using_subcommand debug; and __fish_seen_subcommand_from help" -f -a "write-loop" -d 'Insert one document per batch forever (or --count times), printing `acked ID` after each write is durable (crash tests use this)'
complete -c argonctl -n "__fish_argonctl_using_subcommand debug; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and not __fish_seen_subcommand_from projects branches merge revert conflicts diff log tags import export data gc status serve demo tui use version completion man debug help" -f -a "projects" -d 'Create, list, show and delete projects (one MongoDB database each)'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and not __fish_seen_subcommand_from projects branches merge revert conflicts diff log tags import export data gc status serve demo tui use version completion man debug help" -f -a "branches" -d 'Create, list, merge, reset, rename and delete branches'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and not __fish_seen_subcommand_from projects branches merge revert conflicts diff log tags import export data gc status serve demo tui use version completion man debug help" -f -a "merge" -d 'Merge a branch into another (three-way, field-level)'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and not __fish_seen_subcommand_from projects branches merge revert conflicts diff log tags import export data gc status serve demo tui use version completion man debug help" -f -a "revert" -d 'Undo a commit or a range of changes as a new commit'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and not __fish_seen_subcommand_from projects branches merge revert conflicts diff log tags import export data gc status serve demo tui use version completion man debug help" -f -a "conflicts" -d 'List, show and resolve the conflicts of a merge in progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and not __fish_seen_subcommand_from projects branches merge revert conflicts diff log tags import export data gc status serve demo tui use version completion man debug help" -f -a "diff" -d 'Show document-level changes between two points'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and not __fish_seen_subcommand_from projects branches merge revert conflicts diff log tags import export data gc status serve demo tui use version completion man debug help" -f -a "log" -d 'Show the history of a branch or any point'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and not __fish_seen_subcommand_from projects branches merge revert conflicts diff log tags import export data gc status serve demo tui use version completion man debug help" -f -a "tags" -d 'Create, list and delete tags (immutable names for points)'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and not __fish_seen_subcommand_from projects branches merge revert conflicts diff log tags import export data gc status serve demo tui use version completion man debug help" -f -a "import" -d 'Import documents from Extended JSON, NDJSON, JSON arrays or .bson files'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and not __fish_seen_subcommand_from projects branches merge revert conflicts diff log tags import export data gc status serve demo tui use version completion man debug help" -f -a "export" -d 'Export a point\'s collections as Extended JSON or BSON files'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and not __fish_seen_subcommand_from projects branches merge revert conflicts diff log tags import export data gc status serve demo tui use version completion man debug help" -f -a "data" -d 'Read and write documents (for scripts and quick looks)'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and not __fish_seen_subcommand_from projects branches merge revert conflicts diff log tags import export data gc status serve demo tui use version completion man debug help" -f -a "gc" -d 'Remove data no branch, tag or the retention window needs'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and not __fish_seen_subcommand_from projects branches merge revert conflicts diff log tags import export data gc status serve demo tui use version completion man debug help" -f -a "status" -d 'Show the current project, branch and its collections'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and not __fish_seen_subcommand_from projects branches merge revert conflicts diff log tags import export data gc status serve demo tui use version completion man debug help" -f -a "serve" -d 'Serve every branch to unmodified MongoDB drivers'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and not __fish_seen_subcommand_from projects branches merge revert conflicts diff log tags import export data gc status serve demo tui use version completion man debug help" -f -a "demo" -d 'Build a demo project: import, branch, diff and merge in seconds'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and not __fish_seen_subcommand_from projects branches merge revert conflicts diff log tags import export data gc status serve demo tui use version completion man debug help" -f -a "tui" -d 'Open the terminal UI: branches, history, diffs and merge conflicts'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and not __fish_seen_subcommand_from projects branches merge revert conflicts diff log tags import export data gc status serve demo tui use version completion man debug help" -f -a "use" -d 'Set this directory\'s default project and branch (writes .argon)'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and not __fish_seen_subcommand_from projects branches merge revert conflicts diff log tags import export data gc status serve demo tui use version completion man debug help" -f -a "version" -d 'Print version information'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and not __fish_seen_subcommand_from projects branches merge revert conflicts diff log tags import export data gc status serve demo tui use version completion man debug help" -f -a "completion" -d 'Print a shell completion script'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and not __fish_seen_subcommand_from projects branches merge revert conflicts diff log tags import export data gc status serve demo tui use version completion man debug help" -f -a "man" -d 'Print the man page (or write all pages to a directory)'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and not __fish_seen_subcommand_from projects branches merge revert conflicts diff log tags import export data gc status serve demo tui use version completion man debug help" -f -a "debug" -d 'Internal commands for tests and diagnostics'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and not __fish_seen_subcommand_from projects branches merge revert conflicts diff log tags import export data gc status serve demo tui use version completion man debug help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from projects" -f -a "create" -d 'Create a project'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from projects" -f -a "list" -d 'List projects'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from projects" -f -a "show" -d 'Show one project'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from projects" -f -a "delete" -d 'Delete a project and all its branches and history'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from branches" -f -a "create" -d 'Create a branch at any point (instant: nothing is copied)'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from branches" -f -a "list" -d 'List branches'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from branches" -f -a "show" -d 'Show one branch'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from branches" -f -a "delete" -d 'Delete a branch (its history stays reachable from other refs)'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from branches" -f -a "rename" -d 'Rename a branch'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from branches" -f -a "connect" -d 'Print a MongoDB connection string for a branch (served by `argonctl serve`)'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from branches" -f -a "merge" -d 'Merge a branch into another (same as `argonctl merge`)'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from branches" -f -a "reset" -d 'Point a branch at another state (time travel); keep the old head with --backup'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from conflicts" -f -a "list" -d 'List the conflicts of the merge in progress'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from conflicts" -f -a "show" -d 'Show one conflict with its base, ours and theirs values'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from conflicts" -f -a "resolve" -d 'Resolve one conflict'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from tags" -f -a "create" -d 'Name a point permanently (protected from gc)'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from tags" -f -a "list" -d 'List tags'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from tags" -f -a "delete" -d 'Delete a tag'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from data" -f -a "find" -d 'Print documents matching a filter (in _id order unless --sort)'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from data" -f -a "aggregate" -d 'Run an aggregation pipeline and print its results'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from data" -f -a "get" -d 'Print one document by _id (JSON value: 42, \'"ada"\', \'{"$oid":"..."}\'; other text is a string)'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from data" -f -a "count" -d 'Count documents matching a filter'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from data" -f -a "insert" -d 'Insert documents (Extended JSON arguments, or \'-\' to read NDJSON from stdin)'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from data" -f -a "replace" -d 'Replace documents by _id, inserting those that do not exist'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from data" -f -a "delete" -d 'Delete documents by _id'
complete -c argonctl -n "__fish_argonctl_using_subcommand help; and __fish_seen_subcommand_from debug" -f -a "write-loop" -d 'Insert one document per batch forever (or --count times), printing `acked ID` after each write is durable (crash tests use this)'
