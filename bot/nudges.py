"""The nudge sweep: claim what is due, send it within Telegram's limits, record what happened.

Nudges are rows (see ``storage.models.Nudge``). One JobQueue job (``install``) runs
``NudgeSweeper.sweep_once`` every minute. A sweep claims a batch in one short transaction
(``Nudges.claim_due``: SKIP LOCKED on PostgreSQL, so replicas never claim the same row),
sends it outside that transaction, and records each outcome in its own small unit of work,
so a slow send never holds a lock. It keeps claiming until nothing due is left.

Pacing: the chats of a batch are served side by side, each in due order, one message a
second to a chat and ``per_second`` in all (the Bot API's limits), so a chat with three
reminders due holds up only itself; the next batch is claimed while the last chats of one
wait out their second, so the slots in all never idle between batches. A 429 pauses every
chat for as long as Telegram asks.

The guarantee is at most once. A reminder is never sent twice: a send that may have reached
Telegram (the request left and no answer came back) counts as sent and is not repeated; only
failures known to happen before the request left (no connection, a full pool) are retried,
with exponential backoff, then failed after ``max_attempts``. A claim is a lease: a batch
stops sending once the next send could outlast ``stale_after`` (after which another replica
may claim the rows again) and puts what is left back; only a process that dies mid-send can
lose the one reminder it was sending. Other outcomes: deferred to the end of the user's
quiet hours; the user marked blocked (403) with everything still owed to them cancelled; a
reminder a day late expires unsent. Logs name the kind and ids, never a message or a payload.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

import httpx
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError
from telegram.error import RetryAfter as TelegramRetryAfter
from telegram.ext import Application, ContextTypes

from bot.render import send_reply
from conversations import catalog
from conversations.features.reminders import with_nudge_buttons
from conversations.messages import Reply
from conversations.rules import reminders
from storage.db import Database
from storage.models import Nudge, User

log = logging.getLogger(__name__)

JOB_NAME = "nudge-sweep"
PRUNE_JOB_NAME = "nudge-prune"


# ---------------------------------------------------------------- sending


class SendError(Exception):
    """A nudge could not be delivered (the subclass says why)."""


class Blocked(SendError):
    """The user blocked the bot (Telegram 403): never nudge them again until they write."""


class RetryAfter(SendError):
    """Flood control: Telegram asks us to wait ``seconds`` before sending again (429)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds} seconds")
        self.seconds = seconds


class TransientError(SendError):
    """Not delivered, for a passing reason (no connection, a full pool): try again later."""


class Unconfirmed(SendError):
    """The request left but no answer came back (a read time-out, a dropped connection):
    Telegram may have delivered it. Counted as sent and never repeated (at most once)."""


class Rejected(SendError):
    """Telegram refused this message for good (400, say "chat not found"): do not retry."""


class Sender(Protocol):
    async def send(self, chat_id: str, reply: Reply) -> None:
        """Deliver one reply, or raise Blocked, RetryAfter, TransientError or Rejected."""
        ...


class TelegramSender:
    """Sends through PTB's bot (``application.bot``, which carries the AIORateLimiter)."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: str, reply: Reply) -> None:
        try:
            await self._send(chat_id, reply)
        except Forbidden as error:
            raise Blocked() from error
        except TelegramRetryAfter as error:
            wait = error.retry_after  # int or timedelta, by PTB's settings
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            raise RetryAfter(seconds) from error
        except BadRequest as error:  # a NetworkError subclass in PTB, but not a passing one
            raise Rejected(type(error).__name__) from error
        except NetworkError as error:  # TimedOut included
            if _after_the_request_left(error):
                raise Unconfirmed(type(error).__name__) from error
            raise TransientError(type(error).__name__) from error
        except TelegramError as error:
            raise TransientError(type(error).__name__) from error

    async def _send(self, chat_id: str, reply: Reply) -> None:
        await send_reply(self.bot, chat_id, reply)


# httpx errors raised while waiting for Telegram's answer, after the whole request was sent.
_AFTER_SENDING = (httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError)


def _after_the_request_left(error: BaseException) -> bool:
    """Whether PTB's error comes from the read phase (the message may have been delivered)."""
    cause = error.__cause__
    while cause is not None:
        if isinstance(cause, _AFTER_SENDING):
            return True
        cause = cause.__cause__
    return False


# A send may leave this much before its time (timers and floating point are not exact).
_ON_TIME = 0.001


class Pacer:
    """Keeps sends under Telegram's limits: one message a second per chat, and at most
    ``per_second`` in all (PTB's AIORateLimiter also guards the bot-wide limit, but not
    private chats).

    A chat first waits out its own second, then books the next free slot in all: so a chat
    that must wait holds no slot another chat could use, and chats served side by side get
    distinct slots in the order they became ready. A booked slot is no promise to leave at
    once when it comes: sends also keep the pace as they really leave, give or take half a
    slot of jitter (an event loop that wakes late, after a long garbage collection or a slow
    statement, would otherwise let every overdue slot go at once, over the limit), and a
    pause holds every slot, those booked before it too.
    """

    def __init__(
        self,
        sleep: Callable[[float], Awaitable[None]],
        monotonic: Callable[[], float],
        *,
        per_chat_interval: float = 1.0,
        per_second: float = 25.0,
    ) -> None:
        self.sleep = sleep
        self.monotonic = monotonic
        self.per_chat_interval = per_chat_interval
        self.interval = 1.0 / per_second
        self._next_slot = -math.inf  # the first slot in all nobody has booked
        self._due = -math.inf  # when the next send is due, by the pace sends really left at
        self._resume = -math.inf  # flood control: nothing leaves before this
        self._last_chat: dict[str, float] = {}

    async def wait(self, chat_id: str) -> None:
        """Wait for this chat's next turn, then for its slot in all."""
        ready = max(self._last_chat.get(chat_id, -math.inf) + self.per_chat_interval, self._resume)
        now = self.monotonic()
        if ready > now:
            await self.sleep(ready - now)
        slot: float | None = None
        while True:
            now = self.monotonic()
            if slot is None or slot < self._resume:  # none yet, or a pause came after it
                slot = max(now, self._next_slot, self._resume)
                self._next_slot = slot + self.interval
            leave = max(slot, self._due - self.interval / 2)
            if leave - now <= _ON_TIME:
                break
            await self.sleep(leave - now)
        self._due = max(self._due, now) + self.interval
        self._last_chat[chat_id] = now

    def pause(self, seconds: float) -> None:
        """Flood control: nothing leaves before ``seconds`` from now, booked slots included."""
        self._resume = max(self._resume, self.monotonic() + seconds)

    def forget_chats(self) -> None:
        self._last_chat.clear()


# ---------------------------------------------------------------- the sweep


@dataclass
class SweepReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0
    blocked: int = 0
    expired: int = 0
    unconfirmed: int = 0  # may have been delivered: counted as sent, never repeated

    @property
    def total(self) -> int:
        return (
            self.sent
            + self.retried
            + self.failed
            + self.deferred
            + self.blocked
            + self.expired
            + self.unconfirmed
        )


def utc_now() -> datetime:
    return datetime.now(UTC)


class NudgeSweeper:
    """Sends the nudges that are due. One instance per process; safe with several replicas."""

    def __init__(
        self,
        db: Database,
        sender: Sender,
        clock: Callable[[], datetime] = utc_now,
        *,
        limit: int = 200,
        max_batches: int | None = None,
        stale_after: timedelta = timedelta(minutes=5),
        max_attempts: int = 5,
        max_lateness: timedelta = timedelta(hours=24),
        backoff: timedelta = timedelta(minutes=1),
        max_backoff: timedelta = timedelta(hours=1),
        max_flood_wait: float = 60.0,
        send_timeout: float = 20.0,
        per_second: float = 28.0,
        per_chat_interval: float = 1.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.sender = sender
        self.clock = clock
        self.limit = limit
        self.max_batches = max_batches
        self.stale_after = stale_after
        self.max_attempts = max_attempts
        # A restart or an outage delays nudges; one that is a day late ("Today: ...") would
        # mislead, so it expires instead, and a recurring one moves on to its next time.
        self.max_lateness = max_lateness
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_flood_wait = max_flood_wait
        # The longest one nudge can take: a send, a flood wait, and the send once more.
        self.longest_send = max_flood_wait + 2 * send_timeout
        if stale_after.total_seconds() <= 2 * self.longest_send:
            raise ValueError("stale_after must be over twice the longest send (the lease)")
        self.monotonic = monotonic
        self._flood_until: datetime | None = None
        self._turns: dict[tuple[str, str], asyncio.Lock] = {}  # one chat's turn to send
        self.pacer = Pacer(
            sleep, monotonic, per_chat_interval=per_chat_interval, per_second=per_second
        )

    async def sweep_once(self) -> SweepReport:
        """Claim, send and record batches until nothing due is left (or ``max_batches``).

        The next batch is claimed as soon as every chat of this one has had its first
        reminder: what is left of it then, a few chats' later reminders a second apart,
        would leave the slots in all idle. At most two batches are in flight, and one
        chat's reminders still go one at a time, in due order, across them.
        """
        report = SweepReport()
        self._flood_until = None
        self._turns.clear()
        batches = 0
        async with asyncio.TaskGroup() as sending:
            previous: asyncio.Task[None] | None = None
            while self.max_batches is None or batches < self.max_batches:
                batches += 1
                async with self.db.unit_of_work() as repo:
                    batch = await repo.nudges.claim_due(
                        self.clock(), limit=self.limit, stale_after=self.stale_after
                    )
                # The claim is committed: from here on, no lock is held while we talk to
                # Telegram.
                begun = asyncio.Event()
                current = sending.create_task(
                    self._send_batch(batch, self.monotonic(), report, begun)
                )
                if len(batch) < self.limit:
                    break
                await begun.wait()
                if previous is not None:
                    await previous
                if self._flood_until is not None:
                    break
                previous = current
        self._turns.clear()
        self.pacer.forget_chats()
        return report

    async def prune_once(self, keep: timedelta, *, chunk: int = 5000) -> int:
        """Delete finished reminders due more than ``keep`` ago, in short transactions of
        ``chunk`` rows (so the sweep and users' turns never wait long); the number deleted."""
        before = self.clock() - keep
        total = 0
        while True:
            async with self.db.unit_of_work() as repo:
                deleted = await repo.nudges.prune(before, limit=chunk)
            total += deleted
            if deleted < chunk:
                return total

    async def _send_batch(
        self,
        batch: list[tuple[Nudge, User]],
        claimed: float,
        report: SweepReport,
        begun: asyncio.Event,
    ) -> None:
        """Every chat of the batch side by side, each chat's nudges in due order; the chats
        with most due first, so that their later ones, a second apart, fall among the other
        chats' rather than after them. ``begun`` is set once every chat had its first."""
        chats: dict[tuple[str, str], list[tuple[Nudge, User]]] = {}
        for nudge, user in batch:
            chats.setdefault((user.channel, user.external_id), []).append((nudge, user))
        waiting = len(chats)

        async def serve(chat: tuple[str, str], items: list[tuple[Nudge, User]]) -> None:
            nonlocal waiting
            async with self._turns.setdefault(chat, asyncio.Lock()):  # across batches too
                for i, (nudge, user) in enumerate(items):
                    await self._one(nudge, user, claimed, report)
                    if i == 0:
                        waiting -= 1
                        if waiting == 0:
                            begun.set()

        busiest_first = sorted(chats.items(), key=lambda chat: len(chat[1]), reverse=True)
        try:
            await asyncio.gather(*(serve(chat, items) for chat, items in busiest_first))
        finally:
            begun.set()

    async def _one(self, nudge: Nudge, user: User, claimed: float, report: SweepReport) -> None:
        try:
            lease_left = self.stale_after.total_seconds() - (self.monotonic() - claimed)
            if lease_left < self.longest_send:
                # Another replica may claim this row again before we are done: hand it back.
                await self._defer(nudge, self.clock(), report)
                return
            await self._deliver(nudge, user, report)
        except Exception as error:  # a bug or a lost database: the others still go
            log.error(
                "nudge %s of kind %r: %s",
                nudge.id,
                nudge.kind,
                type(error).__name__,
                exc_info=error,
            )
            await self._release_after_error(nudge, report)

    async def _release_after_error(self, nudge: Nudge, report: SweepReport) -> None:
        try:
            await self._retry(nudge, report)
        except Exception as error:  # the stale-claim timeout will bring it back
            log.error("nudge %s left claimed: %s", nudge.id, type(error).__name__)

    def retry_delay(self, attempts: int) -> timedelta:
        """The wait before the next try, after ``attempts`` failed ones: 1, 2, 4, 8... minutes."""
        return min(self.backoff * 2**attempts, self.max_backoff)

    async def _expire(self, nudge: Nudge, report: SweepReport) -> None:
        now = self.clock()
        following = reminders.next_due(nudge.kind, nudge.payload, nudge.due_at)
        while following is not None and following <= now:
            following = reminders.next_due(nudge.kind, nudge.payload, following)
        async with self.db.unit_of_work() as repo:
            await repo.nudges.expire(nudge.id)
            if following is not None:
                await repo.nudges.add(
                    nudge.user_id, nudge.kind, nudge.key, following, dict(nudge.payload)
                )
        log.info("nudge %s of kind %r expired unsent (too late)", nudge.id, nudge.kind)
        report.expired += 1

    async def _deliver(self, nudge: Nudge, user: User, report: SweepReport) -> None:
        if self.clock() - nudge.due_at > self.max_lateness:
            await self._expire(nudge, report)
            return
        reply = catalog.render_nudge(nudge.kind, nudge.payload)
        if reply is None:
            log.warning("nudge %s of kind %r cannot be rendered; failed", nudge.id, nudge.kind)
            await self._fail(nudge, report)
            return
        if user.channel != "telegram":
            log.warning(
                "nudge %s: user %s is on channel %r, which the sweep cannot reach; failed",
                nudge.id,
                user.id,
                user.channel,
            )
            await self._fail(nudge, report)
            return
        quiet_end = reminders.quiet_until(nudge.payload, self.clock())
        if quiet_end is not None:
            await self._defer(nudge, quiet_end, report)
            return
        message = with_nudge_buttons(reply, nudge.id)
        chat_id = user.external_id
        await self.pacer.wait(chat_id)
        if self._flood_until is not None:  # Telegram asked for a long pause: the rest waits
            await self._defer(nudge, self._flood_until, report)
            return
        try:
            try:
                await self.sender.send(chat_id, message)
            except RetryAfter as flood:
                if flood.seconds > self.max_flood_wait:
                    # Sleeping that long would keep this batch claimed past the stale
                    # timeout; put this nudge and the rest of the batch back instead.
                    log.info("flood control: pausing the sweep for %ss", flood.seconds)
                    self._flood_until = self.clock() + timedelta(seconds=flood.seconds)
                    await self._defer(nudge, self._flood_until, report)
                    return
                log.info("flood control on nudge %s: waiting %ss", nudge.id, flood.seconds)
                self.pacer.pause(flood.seconds)  # every chat waits, not only this one
                await self.pacer.wait(chat_id)
                await self.sender.send(chat_id, message)  # once more; a second failure: below
        except Blocked:
            async with self.db.unit_of_work() as repo:
                await repo.users.mark_blocked(user.id, self.clock())
            log.info("user %s blocked the bot; their nudges are cancelled", user.id)
            report.blocked += 1
        except RetryAfter as flood:
            await self._retry(nudge, report, at_least=timedelta(seconds=flood.seconds))
        except TransientError as error:
            log.info("nudge %s of kind %r not sent (%s)", nudge.id, nudge.kind, error)
            await self._retry(nudge, report)
        except Unconfirmed as error:
            log.info(
                "nudge %s of kind %r: no answer (%s); not repeated", nudge.id, nudge.kind, error
            )
            await self._sent(nudge, report, confirmed=False)
        except Rejected as error:
            log.warning(
                "nudge %s of kind %r rejected by Telegram (%s)", nudge.id, nudge.kind, error
            )
            await self._fail(nudge, report, attempted=True)
        else:
            await self._sent(nudge, report)

    async def _sent(self, nudge: Nudge, report: SweepReport, *, confirmed: bool = True) -> None:
        async with self.db.unit_of_work() as repo:
            # A button the user pressed on this very reminder (Done, snooze) is stored in
            # their turn, which holds them: wait for it, so the series forks in neither.
            await repo.hold_user(nudge.user_id)
            first = await repo.nudges.mark_sent(nudge.id, self.clock())
            # Only the sweep that moved it to "sent" plans the next one, so a nudge sent
            # twice after a crash does not fork its series.
            following = reminders.next_due(nudge.kind, nudge.payload, nudge.due_at)
            if first and following is not None:
                await repo.nudges.add(
                    nudge.user_id, nudge.kind, nudge.key, following, dict(nudge.payload)
                )
        if confirmed:
            report.sent += 1
        else:
            report.unconfirmed += 1

    async def _retry(
        self, nudge: Nudge, report: SweepReport, at_least: timedelta = timedelta(0)
    ) -> None:
        if nudge.attempts + 1 >= self.max_attempts:
            log.warning(
                "nudge %s of kind %r failed after %s attempts",
                nudge.id,
                nudge.kind,
                nudge.attempts + 1,
            )
            await self._fail(nudge, report, attempted=True)
            return
        delay = max(self.retry_delay(nudge.attempts), at_least)
        async with self.db.unit_of_work() as repo:
            await repo.nudges.retry_later(nudge.id, self.clock() + delay)
        report.retried += 1

    async def _defer(self, nudge: Nudge, due_at: datetime, report: SweepReport) -> None:
        async with self.db.unit_of_work() as repo:
            await repo.nudges.defer(nudge.id, due_at)
        report.deferred += 1

    async def _fail(self, nudge: Nudge, report: SweepReport, *, attempted: bool = False) -> None:
        async with self.db.unit_of_work() as repo:
            await repo.nudges.mark_failed(nudge.id, attempted=attempted)
        report.failed += 1


# ---------------------------------------------------------------- the job


def install(
    application: Application,
    sweeper: NudgeSweeper,
    interval: float = 60,
    keep: timedelta = timedelta(days=30),
) -> None:
    """Register the repeating job that sweeps nudges (first run a few seconds after start),
    and the daily one that prunes finished nudges older than ``keep``.

    Calling it again replaces the jobs rather than adding more.
    """
    queue = application.job_queue
    if queue is None:
        raise RuntimeError("PTB's JobQueue is missing: install python-telegram-bot[job-queue]")
    for job in (*queue.get_jobs_by_name(JOB_NAME), *queue.get_jobs_by_name(PRUNE_JOB_NAME)):
        job.schedule_removal()

    async def sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            report = await sweeper.sweep_once()
        except Exception as error:  # the job must live on; the next run tries again
            log.error("nudge sweep failed: %s", type(error).__name__, exc_info=error)
            return
        if report.total:
            log.info(
                "nudge sweep: %s sent, %s unconfirmed, %s retried, %s failed, %s deferred, "
                "%s blocked, %s expired",
                report.sent,
                report.unconfirmed,
                report.retried,
                report.failed,
                report.deferred,
                report.blocked,
                report.expired,
            )

    queue.run_repeating(
        sweep,
        interval=interval,
        first=min(5.0, float(interval)),
        name=JOB_NAME,
        # A sweep still running when the next is due: skip that run rather than overlap.
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": int(interval)},
    )

    async def prune(context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            deleted = await sweeper.prune_once(keep)
        except Exception as error:  # tomorrow's run tries again
            log.error("nudge prune failed: %s", type(error).__name__, exc_info=error)
            return
        log.info(
            "nudge prune: %s finished reminders older than %s days deleted", deleted, keep.days
        )

    queue.run_repeating(
        prune,
        interval=timedelta(days=1).total_seconds(),
        first=60.0,
        name=PRUNE_JOB_NAME,
        job_kwargs={"max_instances": 1, "coalesce": True},
    )
