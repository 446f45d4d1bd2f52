"""`paper2fa doctor`: is this machine fit to handle secrets (offline, no swap, live, clock)?"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from toolkit import airgap
from toolkit.cli.common import print_json

_LEVEL_WORD = {"fatal": "FAIL", "error": "ERROR", "warning": "WARN"}


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this group's commands to the parser."""
    p = sub.add_parser(
        "doctor",
        help="check that this machine is offline and fit to handle secrets",
        description="Report network interfaces up other than loopback, swap, whether this is a "
        "live system, the UTC time (compare it with a watch) and the decoders and libraries "
        "available, then a verdict with what to fix. Exit 10 when a network interface other "
        "than loopback is up.",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_doctor, handles_secrets=False)


def cmd_doctor(args: argparse.Namespace) -> int:
    report = airgap.check_environment(datetime.now(UTC))
    if args.json:
        print_json(report.to_json())
    else:
        print(render_report(report))
    return report.exit_code


def render_report(report: airgap.DoctorReport) -> str:
    """The human-readable report: one line per check, the components, then the verdict."""
    online = report.online_interfaces
    others = [i.name for i in report.interfaces if not i.loopback and not i.up]
    lines = [
        "paper2fa doctor",
        f"  time (UTC)   {report.now_utc:%Y-%m-%d %H:%M:%S}  (compare with a watch: "
        "a wrong clock gives wrong codes)",
    ]
    if online:
        lines.append(f"  network      FAIL   interfaces up: {', '.join(online)}")
    else:
        down = f" (down: {', '.join(others)})" if others else ""
        lines.append(f"  network      ok     no interface up but loopback{down}")
    lines.append("  swap         " + (f"WARN   on: {', '.join(report.swap)}" if report.swap
                                      else "ok     off"))
    lines.append("  live system  " + (f"ok     {report.live_reasons[0]}" if report.live
                                      else "WARN   no (this machine's disk may keep files)"))
    lines.append("  guard        " + ("ok     paper2fa refuses the network and other programs"
                                      if report.guard_installed else "WARN   not on"))
    lines.append("  decoders and libraries:")
    for c in report.components:
        need = "required" if c.required else "optional"
        version = c.version if c.version is not None else "MISSING"
        lines.append(f"    {c.name:<16} {version:<10} {c.role} ({need})")
    findings = report.findings
    worst = {f.level for f in findings}
    if "fatal" in worst:
        verdict = "NOT SAFE: this machine is connected to a network; do not handle secrets here"
    elif "error" in worst:
        verdict = "NOT READY: paper2fa is incomplete on this machine"
    elif findings:
        verdict = "usable offline, with warnings"
    else:
        verdict = "ready: offline, no swap, live system"
    lines.append(f"verdict: {verdict}")
    for f in findings:
        lines.append(f"  {_LEVEL_WORD[f.level]}: {f.message}")
        lines.append(f"    fix: {f.fix}")
    return "\n".join(lines)
