"""The ``lnm`` command. Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or bad input,
3 internal error (one line; the traceback with ``--debug`` or ``LNM_DEBUG=1``)."""

from __future__ import annotations

import atexit
import os
import sys
from typing import NoReturn

import click

from .._paths import DISTRIBUTION
from ..errors import LnmError
from ..i18n import N_, _
from ._common import CONTEXT, QUICK_EXIT, fail

__all__ = ["main", "run"]

_DEBUG = {"on": False}


def _debug_wanted() -> bool:
    return _DEBUG["on"] or os.environ.get("LNM_DEBUG", "") not in ("", "0")


@click.group(context_settings=CONTEXT, help=N_(
    "Author, lint and preview LINE notification messages.\n\n"
    "Exit codes: 0 clean, 1 findings (or a difference) the options ask to fail on, 2 usage or bad "
    "input, 3 an internal error in lnm (please report it)."))
@click.version_option(package_name=DISTRIBUTION, prog_name="lnm")
@click.option("--debug", is_flag=True, help=N_("Show the traceback of an internal error (also LNM_DEBUG=1)."))
def cli(debug: bool) -> None:
    _DEBUG["on"] = debug
    if debug:
        os.environ["LNM_DEBUG"] = "1"  # for the code that reports a bug per file and goes on



from ._doctor import doctor  # noqa: E402
from ._language import add_ui_lang_option, start  # noqa: E402
from ._lint import lint, rules  # noqa: E402
from ._setup import demo, init  # noqa: E402
from ._spec import build, catalogue, hash_phone_command, new, schema  # noqa: E402

for _command in (lint, rules, build, hash_phone_command, schema, catalogue, new, init, demo, doctor):
    cli.add_command(_command)

from ..render.cli import preview as _preview_command  # noqa: E402 - light: imports only click

cli.add_command(_preview_command)

from ..render.gallery import gallery as _gallery_command  # noqa: E402 - light: imports only click

cli.add_command(_gallery_command)


from ..review.commands import approve as _approve_command  # noqa: E402 - light: imports only click
from ..review.commands import pack as _pack_command  # noqa: E402
from ..review.commands import review as _review_command  # noqa: E402
from ..review.commands import serve as _serve_command  # noqa: E402

for _command in (_serve_command, _review_command, _approve_command, _pack_command):
    cli.add_command(_command)

add_ui_lang_option(cli)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning every known error into one line and exit code 2."""
    try:
        start(cli, sys.argv[1:] if argv is None else argv)
        cli.main(args=argv, prog_name="lnm", standalone_mode=False)
    except LnmError as exc:
        fail(exc)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo(f"lnm: {_('aborted')}", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo(f"lnm: {_('interrupted')}", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as exc:  # a bug: one line and exit 3, so CI never reads it as findings (1)
        _internal_error(exc)
    sys.exit(0)


def run() -> NoReturn:
    """The installed ``lnm`` command: :func:`main`, then, after a command that has written everything
    and left nothing running (``lnm lint``), an exit that skips taking the interpreter's objects apart
    one by one (about 10 ms of a lint run). Not for ``python -m toolkit`` (which a profiler, debugger
    or other program may run inside its own process) nor for tests calling :func:`main`."""
    try:
        main()
    except SystemExit as exc:
        threads = sys.modules.get("threading")  # not imported: no thread was started
        if not (QUICK_EXIT["ok"] and isinstance(exc.code, int) and (threads is None or threads.active_count() == 1)):
            raise
        try:
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:  # None: the process was started with that descriptor closed
                    stream.flush()
        except (OSError, ValueError):
            raise exc from None  # a closed or broken pipe: the ordinary exit says so as it always has
        atexit._run_exitfuncs()  # what is registered to run at exit still runs (placeholder workers stop)
        os._exit(exc.code)
    raise AssertionError("main() always exits")


def _internal_error(exc: BaseException) -> NoReturn:
    from ..errors import InternalError

    if _debug_wanted():
        import traceback

        traceback.print_exception(exc)
    line = InternalError.from_exception(exc).one_line()
    if not _debug_wanted():
        line = _("{error} (run with --debug or LNM_DEBUG=1 for the traceback)", error=line)
    click.echo(f"lnm: {line}", err=True)
    sys.exit(3)
