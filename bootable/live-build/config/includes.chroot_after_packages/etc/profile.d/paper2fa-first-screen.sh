# paper2fa offline image: after logging in on the first console (tty1), open paper2fa's first
# screen (the menu: the language, then restore from paper, check this computer, make paper).
# Quitting it leaves the shell, where `paper2fa` opens it again; other consoles keep a shell.
case $- in
    *i*)
        if [ -z "${PAPER2FA_FIRST_SCREEN:-}" ] && [ "$(tty 2>/dev/null)" = /dev/tty1 ] \
            && command -v paper2fa >/dev/null 2>&1; then
            PAPER2FA_FIRST_SCREEN=shown
            export PAPER2FA_FIRST_SCREEN
            paper2fa
        fi
        ;;
esac
