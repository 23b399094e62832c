
use builtin;
use str;

set edit:completion:arg-completer[argonctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'argonctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'argonctl'= {
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand projects 'Create, list, show and delete projects (one MongoDB database each)'
            cand branches 'Create, list, merge, reset, rename and delete branches'
            cand merge 'Merge a branch into another (three-way, field-level)'
            cand revert 'Undo a commit or a range of changes as a new commit'
            cand conflicts 'List, show and resolve the conflicts of a merge in progress'
            cand diff 'Show document-level changes between two points'
            cand log 'Show the history of a branch or any point'
            cand tags 'Create, list and delete tags (immutable names for points)'
            cand import 'Import documents from Extended JSON, NDJSON, JSON arrays or .bson files'
            cand export 'Export a point''s collections as Extended JSON or BSON files'
            cand data 'Read and write documents (for scripts and quick looks)'
            cand gc 'Remove data no branch, tag or the retention window needs'
            cand status 'Show the current project, branch and its collections'
            cand serve 'Serve every branch to unmodified MongoDB drivers'
            cand demo 'Build a demo project: import, branch, diff and merge in seconds'
            cand tui 'Open the terminal UI: branches, history, diffs and merge conflicts'
            cand use 'Set this directory''s default project and branch (writes .argon)'
            cand version 'Print version information'
            cand completion 'Print a shell completion script'
            cand man 'Print the man page (or write all pages to a directory)'
            cand debug 'Internal commands for tests and diagnostics'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'argonctl;projects'= {
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a project'
            cand list 'List projects'
            cand show 'Show one project'
            cand delete 'Delete a project and all its branches and history'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'argonctl;projects;create'= {
            cand -n 'Project name (letters, digits, ''-'' and ''_'')'
            cand --name 'Project name (letters, digits, ''-'' and ''_'')'
            cand -d 'What the project holds'
            cand --description 'What the project holds'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;projects;list'= {
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;projects;show'= {
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;projects;delete'= {
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --yes 'Confirm the deletion'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;projects;help'= {
            cand create 'Create a project'
            cand list 'List projects'
            cand show 'Show one project'
            cand delete 'Delete a project and all its branches and history'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'argonctl;projects;help;create'= {
        }
        &'argonctl;projects;help;list'= {
        }
        &'argonctl;projects;help;show'= {
        }
        &'argonctl;projects;help;delete'= {
        }
        &'argonctl;projects;help;help'= {
        }
        &'argonctl;branches'= {
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a branch at any point (instant: nothing is copied)'
            cand list 'List branches'
            cand show 'Show one branch'
            cand delete 'Delete a branch (its history stays reachable from other refs)'
            cand rename 'Rename a branch'
            cand connect 'Print a MongoDB connection string for a branch (served by `argonctl serve`)'
            cand merge 'Merge a branch into another (same as `argonctl merge`)'
            cand reset 'Point a branch at another state (time travel); keep the old head with --backup'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'argonctl;branches;create'= {
            cand --from 'Where to branch from: a branch, tag, commit, BRANCH@lsn:N or BRANCH@<RFC 3339 time>'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;branches;list'= {
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;branches;show'= {
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;branches;delete'= {
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;branches;rename'= {
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;branches;connect'= {
            cand --host 'host'
            cand --port 'port'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;branches;merge'= {
            cand --into 'The branch to merge into (default: the current branch)'
            cand --strategy 'What to do with conflicts'
            cand --strategy-for 'A strategy for one collection, e.g. --strategy-for logs=theirs (repeatable)'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --dry-run 'Report what would change and every conflict; change nothing'
            cand --continue 'Apply the in-progress merge once all conflicts are resolved'
            cand --abort 'Drop the in-progress merge'
            cand -i 'Resolve conflicts in the terminal UI when the merge stops on them (exits 0 once committed there, 3 if left unresolved)'
            cand --interactive 'Resolve conflicts in the terminal UI when the merge stops on them (exits 0 once committed there, 3 if left unresolved)'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;branches;reset'= {
            cand --to 'The state to reset to (any ref)'
            cand --backup 'Keep the current head as a new branch with this name'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;branches;help'= {
            cand create 'Create a branch at any point (instant: nothing is copied)'
            cand list 'List branches'
            cand show 'Show one branch'
            cand delete 'Delete a branch (its history stays reachable from other refs)'
            cand rename 'Rename a branch'
            cand connect 'Print a MongoDB connection string for a branch (served by `argonctl serve`)'
            cand merge 'Merge a branch into another (same as `argonctl merge`)'
            cand reset 'Point a branch at another state (time travel); keep the old head with --backup'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'argonctl;branches;help;create'= {
        }
        &'argonctl;branches;help;list'= {
        }
        &'argonctl;branches;help;show'= {
        }
        &'argonctl;branches;help;delete'= {
        }
        &'argonctl;branches;help;rename'= {
        }
        &'argonctl;branches;help;connect'= {
        }
        &'argonctl;branches;help;merge'= {
        }
        &'argonctl;branches;help;reset'= {
        }
        &'argonctl;branches;help;help'= {
        }
        &'argonctl;merge'= {
            cand --into 'The branch to merge into (default: the current branch)'
            cand --strategy 'What to do with conflicts'
            cand --strategy-for 'A strategy for one collection, e.g. --strategy-for logs=theirs (repeatable)'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --dry-run 'Report what would change and every conflict; change nothing'
            cand --continue 'Apply the in-progress merge once all conflicts are resolved'
            cand --abort 'Drop the in-progress merge'
            cand -i 'Resolve conflicts in the terminal UI when the merge stops on them (exits 0 once committed there, 3 if left unresolved)'
            cand --interactive 'Resolve conflicts in the terminal UI when the merge stops on them (exits 0 once committed there, 3 if left unresolved)'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;revert'= {
            cand -b 'Branch to revert on (default: the current branch)'
            cand --branch 'Branch to revert on (default: the current branch)'
            cand --strategy 'strategy'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --dry-run 'Report what would change; change nothing'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;conflicts'= {
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the conflicts of the merge in progress'
            cand show 'Show one conflict with its base, ours and theirs values'
            cand resolve 'Resolve one conflict'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'argonctl;conflicts;list'= {
            cand --into 'The branch being merged into (default: the one with a merge in progress)'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;conflicts;show'= {
            cand --into 'into'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;conflicts;resolve'= {
            cand --into 'into'
            cand --value 'Use this value (Extended JSON; null removes the field)'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --ours 'Keep the destination''s value'
            cand --theirs 'Take the source''s value'
            cand --base 'Go back to the merge base''s value'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;conflicts;help'= {
            cand list 'List the conflicts of the merge in progress'
            cand show 'Show one conflict with its base, ours and theirs values'
            cand resolve 'Resolve one conflict'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'argonctl;conflicts;help;list'= {
        }
        &'argonctl;conflicts;help;show'= {
        }
        &'argonctl;conflicts;help;resolve'= {
        }
        &'argonctl;conflicts;help;help'= {
        }
        &'argonctl;diff'= {
            cand -c 'Only this collection'
            cand --collection 'Only this collection'
            cand --format 'format'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --stat 'Only counts per collection'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;log'= {
            cand -n 'Show at most this many entries'
            cand --limit 'Show at most this many entries'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;tags'= {
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Name a point permanently (protected from gc)'
            cand list 'List tags'
            cand delete 'Delete a tag'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'argonctl;tags;create'= {
            cand --at 'The point to tag (any ref; default: the current branch)'
            cand -m 'A note stored with the tag'
            cand --message 'A note stored with the tag'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;tags;list'= {
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;tags;delete'= {
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;tags;help'= {
            cand create 'Name a point permanently (protected from gc)'
            cand list 'List tags'
            cand delete 'Delete a tag'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'argonctl;tags;help;create'= {
        }
        &'argonctl;tags;help;list'= {
        }
        &'argonctl;tags;help;delete'= {
        }
        &'argonctl;tags;help;help'= {
        }
        &'argonctl;import'= {
            cand -c 'Collection to import into (default: the file''s name)'
            cand --collection 'Collection to import into (default: the file''s name)'
            cand -b 'Branch to import into (default: the current branch)'
            cand --branch 'Branch to import into (default: the current branch)'
            cand --mode 'insert fails on existing _ids; upsert replaces them'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;export'= {
            cand --out 'Directory to write into (created if needed)'
            cand -c 'Export only this collection'
            cand --collection 'Export only this collection'
            cand --format 'File format'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;data'= {
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand find 'Print documents matching a filter (in _id order unless --sort)'
            cand aggregate 'Run an aggregation pipeline and print its results'
            cand get 'Print one document by _id (JSON value: 42, ''"ada"'', ''{"$oid":"..."}''; other text is a string)'
            cand count 'Count documents matching a filter'
            cand insert 'Insert documents (Extended JSON arguments, or ''-'' to read NDJSON from stdin)'
            cand replace 'Replace documents by _id, inserting those that do not exist'
            cand delete 'Delete documents by _id'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'argonctl;data;find'= {
            cand -b 'Branch or any ref to read (default: the current branch)'
            cand --branch 'Branch or any ref to read (default: the current branch)'
            cand --at 'Branch or any ref to read (default: the current branch)'
            cand -f 'A MongoDB query filter as (Extended) JSON'
            cand --filter 'A MongoDB query filter as (Extended) JSON'
            cand -s 'Sort order, e.g. ''{"age": -1, "_id": 1}'''
            cand --sort 'Sort order, e.g. ''{"age": -1, "_id": 1}'''
            cand --projection 'Fields to return, as a find projection: ''{"name": 1}'', ''{"big": 0}'', or computed ''{"n": {"$size": "$tags"}}'''
            cand --skip 'Skip this many matching documents first'
            cand -n 'Print at most this many documents'
            cand --limit 'Print at most this many documents'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --canonical 'Print canonical Extended JSON (exact types) instead of relaxed'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;data;aggregate'= {
            cand -b 'Branch or any ref to read (default: the current branch)'
            cand --branch 'Branch or any ref to read (default: the current branch)'
            cand --at 'Branch or any ref to read (default: the current branch)'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --canonical 'Print canonical Extended JSON (exact types) instead of relaxed'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;data;get'= {
            cand -b 'Branch or any ref to read (default: the current branch)'
            cand --branch 'Branch or any ref to read (default: the current branch)'
            cand --at 'Branch or any ref to read (default: the current branch)'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --canonical 'Print canonical Extended JSON (exact types) instead of relaxed'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;data;count'= {
            cand -b 'Branch or any ref to read (default: the current branch)'
            cand --branch 'Branch or any ref to read (default: the current branch)'
            cand --at 'Branch or any ref to read (default: the current branch)'
            cand -f 'f'
            cand --filter 'filter'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --canonical 'Print canonical Extended JSON (exact types) instead of relaxed'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;data;insert'= {
            cand -b 'Branch to write to (default: the current branch)'
            cand --branch 'Branch to write to (default: the current branch)'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;data;replace'= {
            cand -b 'b'
            cand --branch 'branch'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;data;delete'= {
            cand -b 'b'
            cand --branch 'branch'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;data;help'= {
            cand find 'Print documents matching a filter (in _id order unless --sort)'
            cand aggregate 'Run an aggregation pipeline and print its results'
            cand get 'Print one document by _id (JSON value: 42, ''"ada"'', ''{"$oid":"..."}''; other text is a string)'
            cand count 'Count documents matching a filter'
            cand insert 'Insert documents (Extended JSON arguments, or ''-'' to read NDJSON from stdin)'
            cand replace 'Replace documents by _id, inserting those that do not exist'
            cand delete 'Delete documents by _id'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'argonctl;data;help;find'= {
        }
        &'argonctl;data;help;aggregate'= {
        }
        &'argonctl;data;help;get'= {
        }
        &'argonctl;data;help;count'= {
        }
        &'argonctl;data;help;insert'= {
        }
        &'argonctl;data;help;replace'= {
        }
        &'argonctl;data;help;delete'= {
        }
        &'argonctl;data;help;help'= {
        }
        &'argonctl;gc'= {
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --dry-run 'Report what would be freed without deleting anything'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;status'= {
            cand -b 'Branch or ref to show (default: the current branch)'
            cand --branch 'Branch or ref to show (default: the current branch)'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;serve'= {
            cand --host 'Address to listen on (loopback by default)'
            cand --port 'Port to listen on (0 picks a free one)'
            cand --cache-mb 'Memory for cached tree nodes, per open project, in MiB (a scan of a large collection fills it; it never grows past this)'
            cand --ttl-interval 'Seconds between passes of the TTL monitor, which deletes expired documents of TTL indexes on default branches (mongod: 60)'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;demo'= {
            cand --name 'Name of the demo project'
            cand --documents 'Number of generated customer documents'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --force 'Replace an existing project of that name even if the demo did not make it'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;tui'= {
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;use'= {
            cand -b 'Branch to use here (default: the project''s default branch)'
            cand --branch 'Branch to use here (default: the project''s default branch)'
            cand --data-dir 'Data directory of the embedded engine'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;version'= {
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;completion'= {
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;man'= {
            cand --out-dir 'Write one page per command into this directory'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;debug'= {
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand write-loop 'Insert one document per batch forever (or --count times), printing `acked ID` after each write is durable (crash tests use this)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'argonctl;debug;write-loop'= {
            cand --collection 'collection'
            cand --start 'start'
            cand --count 'count'
            cand -b 'b'
            cand --branch 'branch'
            cand --data-dir 'Data directory of the embedded engine'
            cand -p 'Project to work on (default: from .argon, or the only project)'
            cand --project 'Project to work on (default: from .argon, or the only project)'
            cand -o 'Output format of data on stdout'
            cand --output 'Output format of data on stdout'
            cand --no-color 'Never color output (NO_COLOR is respected too)'
            cand -q 'Print only data: no status lines, hints or progress'
            cand --quiet 'Print only data: no status lines, hints or progress'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'argonctl;debug;help'= {
            cand write-loop 'Insert one document per batch forever (or --count times), printing `acked ID` after each write is durable (crash tests use this)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'argonctl;debug;help;write-loop'= {
        }
        &'argonctl;debug;help;help'= {
        }
        &'argonctl;help'= {
            cand projects 'Create, list, show and delete projects (one MongoDB database each)'
            cand branches 'Create, list, merge, reset, rename and delete branches'
            cand merge 'Merge a branch into another (three-way, field-level)'
            cand revert 'Undo a commit or a range of changes as a new commit'
            cand conflicts 'List, show and resolve the conflicts of a merge in progress'
            cand diff 'Show document-level changes between two points'
            cand log 'Show the history of a branch or any point'
            cand tags 'Create, list and delete tags (immutable names for points)'
            cand import 'Import documents from Extended JSON, NDJSON, JSON arrays or .bson files'
            cand export 'Export a point''s collections as Extended JSON or BSON files'
            cand data 'Read and write documents (for scripts and quick looks)'
            cand gc 'Remove data no branch, tag or the retention window needs'
            cand status 'Show the current project, branch and its collections'
            cand serve 'Serve every branch to unmodified MongoDB drivers'
            cand demo 'Build a demo project: import, branch, diff and merge in seconds'
            cand tui 'Open the terminal UI: branches, history, diffs and merge conflicts'
            cand use 'Set this directory''s default project and branch (writes .argon)'
            cand version 'Print version information'
            cand completion 'Print a shell completion script'
            cand man 'Print the man page (or write all pages to a directory)'
            cand debug 'Internal commands for tests and diagnostics'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'argonctl;help;projects'= {
            cand create 'Create a project'
            cand list 'List projects'
            cand show 'Show one project'
            cand delete 'Delete a project and all its branches and history'
        }
        &'argonctl;help;projects;create'= {
        }
        &'argonctl;help;projects;list'= {
        }
        &'argonctl;help;projects;show'= {
        }
        &'argonctl;help;projects;delete'= {
        }
        &'argonctl;help;branches'= {
            cand create 'Create a branch at any point (instant: nothing is copied)'
            cand list 'List branches'
            cand show 'Show one branch'
            cand delete 'Delete a branch (its history stays reachable from other refs)'
            cand rename 'Rename a branch'
            cand connect 'Print a MongoDB connection string for a branch (served by `argonctl serve`)'
            cand merge 'Merge a branch into another (same as `argonctl merge`)'
            cand reset 'Point a branch at another state (time travel); keep the old head with --backup'
        }
        &'argonctl;help;branches;create'= {
        }
        &'argonctl;help;branches;list'= {
        }
        &'argonctl;help;branches;show'= {
        }
        &'argonctl;help;branches;delete'= {
        }
        &'argonctl;help;branches;rename'= {
        }
        &'argonctl;help;branches;connect'= {
        }
        &'argonctl;help;branches;merge'= {
        }
        &'argonctl;help;branches;reset'= {
        }
        &'argonctl;help;merge'= {
        }
        &'argonctl;help;revert'= {
        }
        &'argonctl;help;conflicts'= {
            cand list 'List the conflicts of the merge in progress'
            cand show 'Show one conflict with its base, ours and theirs values'
            cand resolve 'Resolve one conflict'
        }
        &'argonctl;help;conflicts;list'= {
        }
        &'argonctl;help;conflicts;show'= {
        }
        &'argonctl;help;conflicts;resolve'= {
        }
        &'argonctl;help;diff'= {
        }
        &'argonctl;help;log'= {
        }
        &'argonctl;help;tags'= {
            cand create 'Name a point permanently (protected from gc)'
            cand list 'List tags'
            cand delete 'Delete a tag'
        }
        &'argonctl;help;tags;create'= {
        }
        &'argonctl;help;tags;list'= {
        }
        &'argonctl;help;tags;delete'= {
        }
        &'argonctl;help;import'= {
        }
        &'argonctl;help;export'= {
        }
        &'argonctl;help;data'= {
            cand find 'Print documents matching a filter (in _id order unless --sort)'
            cand aggregate 'Run an aggregation pipeline and print its results'
            cand get 'Print one document by _id (JSON value: 42, ''"ada"'', ''{"$oid":"..."}''; other text is a string)'
            cand count 'Count documents matching a filter'
            cand insert 'Insert documents (Extended JSON arguments, or ''-'' to read NDJSON from stdin)'
            cand replace 'Replace documents by _id, inserting those that do not exist'
            cand delete 'Delete documents by _id'
        }
        &'argonctl;help;data;find'= {
        }
        &'argonctl;help;data;aggregate'= {
        }
        &'argonctl;help;data;get'= {
        }
        &'argonctl;help;data;count'= {
        }
        &'argonctl;help;data;insert'= {
        }
        &'argonctl;help;data;replace'= {
        }
        &'argonctl;help;data;delete'= {
        }
        &'argonctl;help;gc'= {
        }
        &'argonctl;help;status'= {
        }
        &'argonctl;help;serve'= {
        }
        &'argonctl;help;demo'= {
        }
        &'argonctl;help;tui'= {
        }
        &'argonctl;help;use'= {
        }
        &'argonctl;help;version'= {
        }
        &'argonctl;help;completion'= {
        }
        &'argonctl;help;man'= {
        }
        &'argonctl;help;debug'= {
            cand write-loop 'Insert one document per batch forever (or --count times), printing `acked ID` after each write is durable (crash tests use this)'
        }
        &'argonctl;help;debug;write-loop'= {
        }
        &'argonctl;help;help'= {
        }
    ]
    $completions[$command]
}
