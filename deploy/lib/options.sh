# The command line of a deploy/ script whose options each take one value. Sourced, not run.

# parse_options --OPTION VARIABLE ... -- "$@": sets VARIABLE to the value after each --OPTION given,
# prints the script's usage (its own function) and exits 0 on -h/--help, and fails with the usage on
# anything else.
parse_options() {
  local -A variable_of=()
  while [[ $1 != -- ]]; do
    variable_of[$1]=$2
    shift 2
  done
  shift
  while [[ $# -gt 0 ]]; do
    case "$1" in
      -h|--help) usage; exit 0 ;;
    esac
    if [[ -z "$1" || -z "${variable_of[$1]:-}" ]]; then
      usage >&2; die "unknown argument: $1"
    fi
    if [[ -z "${2:-}" ]]; then
      # What `${2:?--option needs a value}` in the script itself said (bash names the script and line).
      printf '%s: line %s: 2: %s needs a value\n' "$0" "${BASH_LINENO[0]}" "$1" >&2
      exit 1
    fi
    printf -v "${variable_of[$1]}" '%s' "$2"
    shift 2
  done
}
