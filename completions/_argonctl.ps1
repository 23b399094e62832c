
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'argonctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'argonctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'argonctl' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('projects', 'projects', [CompletionResultType]::ParameterValue, 'Create, list, show and delete projects (one MongoDB database each)')
            [CompletionResult]::new('branches', 'branches', [CompletionResultType]::ParameterValue, 'Create, list, merge, reset, rename and delete branches')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Merge a branch into another (three-way, field-level)')
            [CompletionResult]::new('revert', 'revert', [CompletionResultType]::ParameterValue, 'Undo a commit or a range of changes as a new commit')
            [CompletionResult]::new('conflicts', 'conflicts', [CompletionResultType]::ParameterValue, 'List, show and resolve the conflicts of a merge in progress')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show document-level changes between two points')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show the history of a branch or any point')
            [CompletionResult]::new('tags', 'tags', [CompletionResultType]::ParameterValue, 'Create, list and delete tags (immutable names for points)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import documents from Extended JSON, NDJSON, JSON arrays or .bson files')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export a point''s collections as Extended JSON or BSON files')
            [CompletionResult]::new('data', 'data', [CompletionResultType]::ParameterValue, 'Read and write documents (for scripts and quick looks)')
            [CompletionResult]::new('gc', 'gc', [CompletionResultType]::ParameterValue, 'Remove data no branch, tag or the retention window needs')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the current project, branch and its collections')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve every branch to unmodified MongoDB drivers')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Build a demo project: import, branch, diff and merge in seconds')
            [CompletionResult]::new('tui', 'tui', [CompletionResultType]::ParameterValue, 'Open the terminal UI: branches, history, diffs and merge conflicts')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Set this directory''s default project and branch (writes .argon)')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print version information')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (or write all pages to a directory)')
            [CompletionResult]::new('debug', 'debug', [CompletionResultType]::ParameterValue, 'Internal commands for tests and diagnostics')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'argonctl;projects' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a project')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List projects')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one project')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a project and all its branches and history')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'argonctl;projects;create' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Project name (letters, digits, ''-'' and ''_'')')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Project name (letters, digits, ''-'' and ''_'')')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'What the project holds')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'What the project holds')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;projects;list' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;projects;show' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;projects;delete' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Confirm the deletion')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;projects;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a project')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List projects')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one project')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a project and all its branches and history')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'argonctl;projects;help;create' {
            break
        }
        'argonctl;projects;help;list' {
            break
        }
        'argonctl;projects;help;show' {
            break
        }
        'argonctl;projects;help;delete' {
            break
        }
        'argonctl;projects;help;help' {
            break
        }
        'argonctl;branches' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a branch at any point (instant: nothing is copied)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List branches')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one branch')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a branch (its history stays reachable from other refs)')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a branch')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Print a MongoDB connection string for a branch (served by `argonctl serve`)')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Merge a branch into another (same as `argonctl merge`)')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Point a branch at another state (time travel); keep the old head with --backup')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'argonctl;branches;create' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Where to branch from: a branch, tag, commit, BRANCH@lsn:N or BRANCH@<RFC 3339 time>')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;branches;list' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;branches;show' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;branches;delete' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;branches;rename' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;branches;connect' {
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'host')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'port')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;branches;merge' {
            [CompletionResult]::new('--into', '--into', [CompletionResultType]::ParameterName, 'The branch to merge into (default: the current branch)')
            [CompletionResult]::new('--strategy', '--strategy', [CompletionResultType]::ParameterName, 'What to do with conflicts')
            [CompletionResult]::new('--strategy-for', '--strategy-for', [CompletionResultType]::ParameterName, 'A strategy for one collection, e.g. --strategy-for logs=theirs (repeatable)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Report what would change and every conflict; change nothing')
            [CompletionResult]::new('--continue', '--continue', [CompletionResultType]::ParameterName, 'Apply the in-progress merge once all conflicts are resolved')
            [CompletionResult]::new('--abort', '--abort', [CompletionResultType]::ParameterName, 'Drop the in-progress merge')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Resolve conflicts in the terminal UI when the merge stops on them (exits 0 once committed there, 3 if left unresolved)')
            [CompletionResult]::new('--interactive', '--interactive', [CompletionResultType]::ParameterName, 'Resolve conflicts in the terminal UI when the merge stops on them (exits 0 once committed there, 3 if left unresolved)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;branches;reset' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The state to reset to (any ref)')
            [CompletionResult]::new('--backup', '--backup', [CompletionResultType]::ParameterName, 'Keep the current head as a new branch with this name')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;branches;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a branch at any point (instant: nothing is copied)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List branches')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one branch')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a branch (its history stays reachable from other refs)')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a branch')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Print a MongoDB connection string for a branch (served by `argonctl serve`)')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Merge a branch into another (same as `argonctl merge`)')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Point a branch at another state (time travel); keep the old head with --backup')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'argonctl;branches;help;create' {
            break
        }
        'argonctl;branches;help;list' {
            break
        }
        'argonctl;branches;help;show' {
            break
        }
        'argonctl;branches;help;delete' {
            break
        }
        'argonctl;branches;help;rename' {
            break
        }
        'argonctl;branches;help;connect' {
            break
        }
        'argonctl;branches;help;merge' {
            break
        }
        'argonctl;branches;help;reset' {
            break
        }
        'argonctl;branches;help;help' {
            break
        }
        'argonctl;merge' {
            [CompletionResult]::new('--into', '--into', [CompletionResultType]::ParameterName, 'The branch to merge into (default: the current branch)')
            [CompletionResult]::new('--strategy', '--strategy', [CompletionResultType]::ParameterName, 'What to do with conflicts')
            [CompletionResult]::new('--strategy-for', '--strategy-for', [CompletionResultType]::ParameterName, 'A strategy for one collection, e.g. --strategy-for logs=theirs (repeatable)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Report what would change and every conflict; change nothing')
            [CompletionResult]::new('--continue', '--continue', [CompletionResultType]::ParameterName, 'Apply the in-progress merge once all conflicts are resolved')
            [CompletionResult]::new('--abort', '--abort', [CompletionResultType]::ParameterName, 'Drop the in-progress merge')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Resolve conflicts in the terminal UI when the merge stops on them (exits 0 once committed there, 3 if left unresolved)')
            [CompletionResult]::new('--interactive', '--interactive', [CompletionResultType]::ParameterName, 'Resolve conflicts in the terminal UI when the merge stops on them (exits 0 once committed there, 3 if left unresolved)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;revert' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Branch to revert on (default: the current branch)')
            [CompletionResult]::new('--branch', '--branch', [CompletionResultType]::ParameterName, 'Branch to revert on (default: the current branch)')
            [CompletionResult]::new('--strategy', '--strategy', [CompletionResultType]::ParameterName, 'strategy')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Report what would change; change nothing')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;conflicts' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the conflicts of the merge in progress')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one conflict with its base, ours and theirs values')
            [CompletionResult]::new('resolve', 'resolve', [CompletionResultType]::ParameterValue, 'Resolve one conflict')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'argonctl;conflicts;list' {
            [CompletionResult]::new('--into', '--into', [CompletionResultType]::ParameterName, 'The branch being merged into (default: the one with a merge in progress)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;conflicts;show' {
            [CompletionResult]::new('--into', '--into', [CompletionResultType]::ParameterName, 'into')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;conflicts;resolve' {
            [CompletionResult]::new('--into', '--into', [CompletionResultType]::ParameterName, 'into')
            [CompletionResult]::new('--value', '--value', [CompletionResultType]::ParameterName, 'Use this value (Extended JSON; null removes the field)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--ours', '--ours', [CompletionResultType]::ParameterName, 'Keep the destination''s value')
            [CompletionResult]::new('--theirs', '--theirs', [CompletionResultType]::ParameterName, 'Take the source''s value')
            [CompletionResult]::new('--base', '--base', [CompletionResultType]::ParameterName, 'Go back to the merge base''s value')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;conflicts;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the conflicts of the merge in progress')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one conflict with its base, ours and theirs values')
            [CompletionResult]::new('resolve', 'resolve', [CompletionResultType]::ParameterValue, 'Resolve one conflict')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'argonctl;conflicts;help;list' {
            break
        }
        'argonctl;conflicts;help;show' {
            break
        }
        'argonctl;conflicts;help;resolve' {
            break
        }
        'argonctl;conflicts;help;help' {
            break
        }
        'argonctl;diff' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Only this collection')
            [CompletionResult]::new('--collection', '--collection', [CompletionResultType]::ParameterName, 'Only this collection')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'format')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--stat', '--stat', [CompletionResultType]::ParameterName, 'Only counts per collection')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;log' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show at most this many entries')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most this many entries')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;tags' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Name a point permanently (protected from gc)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List tags')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a tag')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'argonctl;tags;create' {
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'The point to tag (any ref; default: the current branch)')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note stored with the tag')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note stored with the tag')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;tags;list' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;tags;delete' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;tags;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Name a point permanently (protected from gc)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List tags')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a tag')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'argonctl;tags;help;create' {
            break
        }
        'argonctl;tags;help;list' {
            break
        }
        'argonctl;tags;help;delete' {
            break
        }
        'argonctl;tags;help;help' {
            break
        }
        'argonctl;import' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Collection to import into (default: the file''s name)')
            [CompletionResult]::new('--collection', '--collection', [CompletionResultType]::ParameterName, 'Collection to import into (default: the file''s name)')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Branch to import into (default: the current branch)')
            [CompletionResult]::new('--branch', '--branch', [CompletionResultType]::ParameterName, 'Branch to import into (default: the current branch)')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'insert fails on existing _ids; upsert replaces them')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;export' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory to write into (created if needed)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Export only this collection')
            [CompletionResult]::new('--collection', '--collection', [CompletionResultType]::ParameterName, 'Export only this collection')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'File format')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;data' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('find', 'find', [CompletionResultType]::ParameterValue, 'Print documents matching a filter (in _id order unless --sort)')
            [CompletionResult]::new('aggregate', 'aggregate', [CompletionResultType]::ParameterValue, 'Run an aggregation pipeline and print its results')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one document by _id (JSON value: 42, ''"ada"'', ''{"$oid":"..."}''; other text is a string)')
            [CompletionResult]::new('count', 'count', [CompletionResultType]::ParameterValue, 'Count documents matching a filter')
            [CompletionResult]::new('insert', 'insert', [CompletionResultType]::ParameterValue, 'Insert documents (Extended JSON arguments, or ''-'' to read NDJSON from stdin)')
            [CompletionResult]::new('replace', 'replace', [CompletionResultType]::ParameterValue, 'Replace documents by _id, inserting those that do not exist')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete documents by _id')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'argonctl;data;find' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Branch or any ref to read (default: the current branch)')
            [CompletionResult]::new('--branch', '--branch', [CompletionResultType]::ParameterName, 'Branch or any ref to read (default: the current branch)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Branch or any ref to read (default: the current branch)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A MongoDB query filter as (Extended) JSON')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'A MongoDB query filter as (Extended) JSON')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Sort order, e.g. ''{"age": -1, "_id": 1}''')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Sort order, e.g. ''{"age": -1, "_id": 1}''')
            [CompletionResult]::new('--projection', '--projection', [CompletionResultType]::ParameterName, 'Fields to return, as a find projection: ''{"name": 1}'', ''{"big": 0}'', or computed ''{"n": {"$size": "$tags"}}''')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Skip this many matching documents first')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Print at most this many documents')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Print at most this many documents')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--canonical', '--canonical', [CompletionResultType]::ParameterName, 'Print canonical Extended JSON (exact types) instead of relaxed')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;data;aggregate' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Branch or any ref to read (default: the current branch)')
            [CompletionResult]::new('--branch', '--branch', [CompletionResultType]::ParameterName, 'Branch or any ref to read (default: the current branch)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Branch or any ref to read (default: the current branch)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--canonical', '--canonical', [CompletionResultType]::ParameterName, 'Print canonical Extended JSON (exact types) instead of relaxed')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;data;get' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Branch or any ref to read (default: the current branch)')
            [CompletionResult]::new('--branch', '--branch', [CompletionResultType]::ParameterName, 'Branch or any ref to read (default: the current branch)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Branch or any ref to read (default: the current branch)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--canonical', '--canonical', [CompletionResultType]::ParameterName, 'Print canonical Extended JSON (exact types) instead of relaxed')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;data;count' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Branch or any ref to read (default: the current branch)')
            [CompletionResult]::new('--branch', '--branch', [CompletionResultType]::ParameterName, 'Branch or any ref to read (default: the current branch)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Branch or any ref to read (default: the current branch)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'f')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'filter')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--canonical', '--canonical', [CompletionResultType]::ParameterName, 'Print canonical Extended JSON (exact types) instead of relaxed')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;data;insert' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Branch to write to (default: the current branch)')
            [CompletionResult]::new('--branch', '--branch', [CompletionResultType]::ParameterName, 'Branch to write to (default: the current branch)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;data;replace' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'b')
            [CompletionResult]::new('--branch', '--branch', [CompletionResultType]::ParameterName, 'branch')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;data;delete' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'b')
            [CompletionResult]::new('--branch', '--branch', [CompletionResultType]::ParameterName, 'branch')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;data;help' {
            [CompletionResult]::new('find', 'find', [CompletionResultType]::ParameterValue, 'Print documents matching a filter (in _id order unless --sort)')
            [CompletionResult]::new('aggregate', 'aggregate', [CompletionResultType]::ParameterValue, 'Run an aggregation pipeline and print its results')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one document by _id (JSON value: 42, ''"ada"'', ''{"$oid":"..."}''; other text is a string)')
            [CompletionResult]::new('count', 'count', [CompletionResultType]::ParameterValue, 'Count documents matching a filter')
            [CompletionResult]::new('insert', 'insert', [CompletionResultType]::ParameterValue, 'Insert documents (Extended JSON arguments, or ''-'' to read NDJSON from stdin)')
            [CompletionResult]::new('replace', 'replace', [CompletionResultType]::ParameterValue, 'Replace documents by _id, inserting those that do not exist')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete documents by _id')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'argonctl;data;help;find' {
            break
        }
        'argonctl;data;help;aggregate' {
            break
        }
        'argonctl;data;help;get' {
            break
        }
        'argonctl;data;help;count' {
            break
        }
        'argonctl;data;help;insert' {
            break
        }
        'argonctl;data;help;replace' {
            break
        }
        'argonctl;data;help;delete' {
            break
        }
        'argonctl;data;help;help' {
            break
        }
        'argonctl;gc' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Report what would be freed without deleting anything')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;status' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Branch or ref to show (default: the current branch)')
            [CompletionResult]::new('--branch', '--branch', [CompletionResultType]::ParameterName, 'Branch or ref to show (default: the current branch)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;serve' {
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Address to listen on (loopback by default)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port to listen on (0 picks a free one)')
            [CompletionResult]::new('--cache-mb', '--cache-mb', [CompletionResultType]::ParameterName, 'Memory for cached tree nodes, per open project, in MiB (a scan of a large collection fills it; it never grows past this)')
            [CompletionResult]::new('--ttl-interval', '--ttl-interval', [CompletionResultType]::ParameterName, 'Seconds between passes of the TTL monitor, which deletes expired documents of TTL indexes on default branches (mongod: 60)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;demo' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Name of the demo project')
            [CompletionResult]::new('--documents', '--documents', [CompletionResultType]::ParameterName, 'Number of generated customer documents')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing project of that name even if the demo did not make it')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;tui' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;use' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Branch to use here (default: the project''s default branch)')
            [CompletionResult]::new('--branch', '--branch', [CompletionResultType]::ParameterName, 'Branch to use here (default: the project''s default branch)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;version' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;completion' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;man' {
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Write one page per command into this directory')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;debug' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('write-loop', 'write-loop', [CompletionResultType]::ParameterValue, 'Insert one document per batch forever (or --count times), printing `acked ID` after each write is durable (crash tests use this)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'argonctl;debug;write-loop' {
            [CompletionResult]::new('--collection', '--collection', [CompletionResultType]::ParameterName, 'collection')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'start')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'count')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'b')
            [CompletionResult]::new('--branch', '--branch', [CompletionResultType]::ParameterName, 'branch')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory of the embedded engine')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Project to work on (default: from .argon, or the only project)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format of data on stdout')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (NO_COLOR is respected too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no status lines, hints or progress')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'argonctl;debug;help' {
            [CompletionResult]::new('write-loop', 'write-loop', [CompletionResultType]::ParameterValue, 'Insert one document per batch forever (or --count times), printing `acked ID` after each write is durable (crash tests use this)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'argonctl;debug;help;write-loop' {
            break
        }
        'argonctl;debug;help;help' {
            break
        }
        'argonctl;help' {
            [CompletionResult]::new('projects', 'projects', [CompletionResultType]::ParameterValue, 'Create, list, show and delete projects (one MongoDB database each)')
            [CompletionResult]::new('branches', 'branches', [CompletionResultType]::ParameterValue, 'Create, list, merge, reset, rename and delete branches')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Merge a branch into another (three-way, field-level)')
            [CompletionResult]::new('revert', 'revert', [CompletionResultType]::ParameterValue, 'Undo a commit or a range of changes as a new commit')
            [CompletionResult]::new('conflicts', 'conflicts', [CompletionResultType]::ParameterValue, 'List, show and resolve the conflicts of a merge in progress')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show document-level changes between two points')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show the history of a branch or any point')
            [CompletionResult]::new('tags', 'tags', [CompletionResultType]::ParameterValue, 'Create, list and delete tags (immutable names for points)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import documents from Extended JSON, NDJSON, JSON arrays or .bson files')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export a point''s collections as Extended JSON or BSON files')
            [CompletionResult]::new('data', 'data', [CompletionResultType]::ParameterValue, 'Read and write documents (for scripts and quick looks)')
            [CompletionResult]::new('gc', 'gc', [CompletionResultType]::ParameterValue, 'Remove data no branch, tag or the retention window needs')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the current project, branch and its collections')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve every branch to unmodified MongoDB drivers')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Build a demo project: import, branch, diff and merge in seconds')
            [CompletionResult]::new('tui', 'tui', [CompletionResultType]::ParameterValue, 'Open the terminal UI: branches, history, diffs and merge conflicts')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Set this directory''s default project and branch (writes .argon)')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print version information')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (or write all pages to a directory)')
            [CompletionResult]::new('debug', 'debug', [CompletionResultType]::ParameterValue, 'Internal commands for tests and diagnostics')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'argonctl;help;projects' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a project')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List projects')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one project')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a project and all its branches and history')
            break
        }
        'argonctl;help;projects;create' {
            break
        }
        'argonctl;help;projects;list' {
            break
        }
        'argonctl;help;projects;show' {
            break
        }
        'argonctl;help;projects;delete' {
            break
        }
        'argonctl;help;branches' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a branch at any point (instant: nothing is copied)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List branches')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one branch')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a branch (its history stays reachable from other refs)')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a branch')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Print a MongoDB connection string for a branch (served by `argonctl serve`)')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Merge a branch into another (same as `argonctl merge`)')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Point a branch at another state (time travel); keep the old head with --backup')
            break
        }
        'argonctl;help;branches;create' {
            break
        }
        'argonctl;help;branches;list' {
            break
        }
        'argonctl;help;branches;show' {
            break
        }
        'argonctl;help;branches;delete' {
            break
        }
        'argonctl;help;branches;rename' {
            break
        }
        'argonctl;help;branches;connect' {
            break
        }
        'argonctl;help;branches;merge' {
            break
        }
        'argonctl;help;branches;reset' {
            break
        }
        'argonctl;help;merge' {
            break
        }
        'argonctl;help;revert' {
            break
        }
        'argonctl;help;conflicts' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the conflicts of the merge in progress')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one conflict with its base, ours and theirs values')
            [CompletionResult]::new('resolve', 'resolve', [CompletionResultType]::ParameterValue, 'Resolve one conflict')
            break
        }
        'argonctl;help;conflicts;list' {
            break
        }
        'argonctl;help;conflicts;show' {
            break
        }
        'argonctl;help;conflicts;resolve' {
            break
        }
        'argonctl;help;diff' {
            break
        }
        'argonctl;help;log' {
            break
        }
        'argonctl;help;tags' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Name a point permanently (protected from gc)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List tags')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a tag')
            break
        }
        'argonctl;help;tags;create' {
            break
        }
        'argonctl;help;tags;list' {
            break
        }
        'argonctl;help;tags;delete' {
            break
        }
        'argonctl;help;import' {
            break
        }
        'argonctl;help;export' {
            break
        }
        'argonctl;help;data' {
            [CompletionResult]::new('find', 'find', [CompletionResultType]::ParameterValue, 'Print documents matching a filter (in _id order unless --sort)')
            [CompletionResult]::new('aggregate', 'aggregate', [CompletionResultType]::ParameterValue, 'Run an aggregation pipeline and print its results')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one document by _id (JSON value: 42, ''"ada"'', ''{"$oid":"..."}''; other text is a string)')
            [CompletionResult]::new('count', 'count', [CompletionResultType]::ParameterValue, 'Count documents matching a filter')
            [CompletionResult]::new('insert', 'insert', [CompletionResultType]::ParameterValue, 'Insert documents (Extended JSON arguments, or ''-'' to read NDJSON from stdin)')
            [CompletionResult]::new('replace', 'replace', [CompletionResultType]::ParameterValue, 'Replace documents by _id, inserting those that do not exist')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete documents by _id')
            break
        }
        'argonctl;help;data;find' {
            break
        }
        'argonctl;help;data;aggregate' {
            break
        }
        'argonctl;help;data;get' {
            break
        }
        'argonctl;help;data;count' {
            break
        }
        'argonctl;help;data;insert' {
            break
        }
        'argonctl;help;data;replace' {
            break
        }
        'argonctl;help;data;delete' {
            break
        }
        'argonctl;help;gc' {
            break
        }
        'argonctl;help;status' {
            break
        }
        'argonctl;help;serve' {
            break
        }
        'argonctl;help;demo' {
            break
        }
        'argonctl;help;tui' {
            break
        }
        'argonctl;help;use' {
            break
        }
        'argonctl;help;version' {
            break
        }
        'argonctl;help;completion' {
            break
        }
        'argonctl;help;man' {
            break
        }
        'argonctl;help;debug' {
            [CompletionResult]::new('write-loop', 'write-loop', [CompletionResultType]::ParameterValue, 'Insert one document per batch forever (or --count times), printing `acked ID` after each write is durable (crash tests use this)')
            break
        }
        'argonctl;help;debug;write-loop' {
            break
        }
        'argonctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
