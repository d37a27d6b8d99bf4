# bash completion for cpucompat(1). Commands and model/feature names come from the program
# itself (the hidden "cpucompat __complete" helper, which reads the data catalogs); each
# command's options, including those its architectures declare, and its output formats come
# from "cpucompat COMMAND --help", so the completion follows the installed program.

# The lines of "cpucompat [--data-dir DIR] ARGS..." (the --data-dir already typed is kept).
_cpucompat_run()
{
    local prog=${COMP_WORDS[0]}
    [[ $prog == */* || -z $prog ]] || prog=$(type -P "$prog" 2>/dev/null || echo "$prog")
    "$prog" ${_cpucompat_datadir:+--data-dir "$_cpucompat_datadir"} "$@" 2>/dev/null
}

# The long options of a command's --help ("--name" or "--name=" when it takes a value).
_cpucompat_options()
{
    _cpucompat_run "$1" --help | sed -n 's/^ *\(-., \)\?\(--[a-z][a-z0-9-]*=\?\).*/\2/p' | sort -u
}

# The output formats a command's --format takes, from the line of its --help that
# describes --format ("text (default), json or xml").
_cpucompat_formats()
{
    _cpucompat_run "$1" --help | sed -n 's/^ *\(-f, \)\?--format=FORMAT *//p' |
        sed 's/(default)//g; s/,/ /g; s/ or / /g'
}

# The import formats, from "cpucompat import --help" ("(FORMAT: a, b or c)").
_cpucompat_imports()
{
    _cpucompat_run import --help | sed -n 's/.*(FORMAT: \(.*\))$/\1/p' |
        sed 's/,/ /g; s/ or / /g'
}

_cpucompat()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=""
    local cmd="" i word _cpucompat_datadir=""

    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    COMPREPLY=()
    # The command is the first word that is not a global option or its value.
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        case $word in
        --data-dir) _cpucompat_datadir=${COMP_WORDS[i + 1]}; ((i++)) ;;
        --data-dir=*) _cpucompat_datadir=${word#--data-dir=} ;;
        -*) ;;
        *) cmd=$word; break ;;
        esac
    done
    # A value "--opt=VALUE" is completed as the value of --opt: bash splits it into "--opt",
    # "=" and "VALUE" (COMP_WORDBREAKS), a caller may not.
    if [[ $prev == = ]] && ((COMP_CWORD > 1)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    elif [[ $cur == = ]]; then
        cur=""
    elif [[ $cur == --*=* ]]; then
        prev=${cur%%=*}
        cur=${cur#*=}
    fi

    if [[ -z $cmd ]]; then
        case $prev in
        --data-dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        esac
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--data-dir --version --help" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$(_cpucompat_run __complete commands)" -- "$cur"))
        fi
        return
    fi

    case $prev in
    -f | --format)
        COMPREPLY=($(compgen -W "$(_cpucompat_formats "$cmd")" -- "$cur"))
        return
        ;;
    -m | --model)
        if [[ $cur == *,* ]]; then
            # A model's properties: FEATURE=on|off after the commas (s390x).
            local head=${cur%,*} feat=${cur##*,}
            COMPREPLY=($(compgen -P "$head," -S "=off" -W "$(_cpucompat_run __complete features)" -- "$feat"))
            compopt -o nospace 2>/dev/null
        else
            COMPREPLY=($(compgen -W "$(_cpucompat_run __complete models)" -- "$cur"))
        fi
        return
        ;;
    -o | --output | -g | --guest | --admit | --midr-policy | --host)
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    --qemu | --libvirt-map | --vcpu-features | --group)
        return # a release or a list: nothing to offer
        ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_cpucompat_options "$cmd")" -- "$cur"))
        [[ ${COMPREPLY[*]} == *= ]] && compopt -o nospace 2>/dev/null
        return
    fi
    case $cmd in
    expand)
        COMPREPLY=($(compgen -W "$(_cpucompat_run __complete models)" -- "$cur"))
        return
        ;;
    import)
        # The first argument after "import" is the format, then a file.
        local n=0
        for ((i = i + 1; i < COMP_CWORD; i++)); do
            [[ ${COMP_WORDS[i]} == -* ]] || ((n++))
        done
        if ((n == 0)); then
            COMPREPLY=($(compgen -W "$(_cpucompat_imports)" -- "$cur"))
            return
        fi
        ;;
    esac
    COMPREPLY=($(compgen -f -- "$cur"))
}

complete -F _cpucompat cpucompat
