"""A round opened to the room: participants join from their own phones and laptops.

The rating panel's setup asks for it ("Open to the room…"); this opens the room's web server on
the address the host picks (this computer only by default), shows the join screen, and when the
host closes the round, hands every rating to the rating session, whose reveal, agreement, one
undoable apply and decision log are today's. A budget vote ends in its result beside the
ranking (app/room/vote.py), which can become a `votes` input in one undoable step. Ratings and
purchases are kept in the workshop file as they arrive, by the room's ledger (models/room/ledger.py).
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtNetwork import QAbstractSocket, QNetworkInterface
from PySide6.QtWidgets import QApplication, QDialog

from cutline.app.features.rating import RatingSession
from cutline.app.room import overlay as room_overlay
from cutline.app.room.vote import VoteResult
from cutline.models.errors import CutlineError
from cutline.models.rating.budget_vote import BudgetVote, prices_of
from cutline.models.rating.round import RatingRound
from cutline.models.room.ledger import Remove, RoomLedger
from cutline.models.room.state import BUDGET, RATING, Room, RoomRefused, readable_code
from cutline.views.join_screen import JoinScreen
from cutline.views.room_dialog import RoomDialog, RoomOptions

if TYPE_CHECKING:
    from cutline.app.room.server import RoomServer
    from cutline.app.window.main_window import MainWindow

#: The port the room asks for first (an address easy to read aloud); any free one otherwise.
PREFERRED_PORT = 8765
LOOPBACK = "127.0.0.1"
#: How often the host's screen catches up with the room, at most.
REFRESH_MS = 250
#: How long taking someone out waits for the room's ledger to write it, in seconds.
REMOVE_WAIT = 10.0


def machine_addresses() -> list[tuple[str, str]]:
    """(label, address) for each address this machine can listen on; this computer only first."""
    out = [(f"This computer only ({LOOPBACK})", LOOPBACK)]
    for interface in QNetworkInterface.allInterfaces():
        flags = interface.flags()
        if not (flags & QNetworkInterface.InterfaceFlag.IsUp) or flags & QNetworkInterface.InterfaceFlag.IsLoopBack:
            continue
        for entry in interface.addressEntries():
            ip = entry.ip()
            text = ip.toString().split("%")[0]
            try:
                address = ipaddress.ip_address(text)
            except ValueError:
                continue
            if ip.protocol() == QAbstractSocket.NetworkLayerProtocol.IPv6Protocol and address.is_link_local:
                continue  # needs a scope the phone's browser cannot take
            out.append((f"{interface.humanReadableName()} ({text})", text))
    return out


class RoomFlow(QObject):
    """The room of one window's rating session: open, follow, remove, close."""

    VIEWS: ClassVar[tuple[str, ...]] = ()

    changed = Signal()  # emitted from the ledger's thread: Qt queues it to the window's

    def __init__(self, window: MainWindow):
        session = window.feature(RatingSession)
        super().__init__(session)
        self.session, self.window = session, window
        self.join = JoinScreen()
        session.pages.addWidget(self.join)
        self.votes = VoteResult(session, self.session_titles)
        self.room: Room | None = None
        self.ledger: RoomLedger | None = None
        self.server: RoomServer | None = None
        self.base: RatingRound | None = None
        self.options: RoomOptions | None = None
        self._watched = None  # the document whose Save As the room follows
        self.overlay = room_overlay.RoomOverlay(self.window)
        self._refresh = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._refresh.timeout.connect(self.refresh)
        self._idle = QTimer(self, interval=10_000)
        self._idle.timeout.connect(self._check_idle)
        self.changed.connect(self._soon)
        session.setup.roomRequested.connect(self.open)
        self.join.closeRequested.connect(self.close_round)
        self.join.cancelRequested.connect(self.stop_sharing)
        self.join.removeRequested.connect(self.remove)
        self.window.documentChanged.connect(self._on_document)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(lambda: self.shutdown(""))
        if self.window.document is not None:
            self.votes.follow(self.window.document)
        self.window.installEventFilter(self)  # a window closed stops its room
        self.window.looksChanged.connect(self._on_looks)

    # -- opening --------------------------------------------------------------------------------
    def ask_options(self, round_: RatingRound) -> RoomOptions | None:
        """The host's choices for the room (the dialog), or None when they cancel."""
        prices = prices_of(self.window.document.workshop.portfolio, round_.initiatives)
        total = sum(prices.values())
        dialog = RoomDialog(machine_addresses(), round_.criteria, budget=round(total / 2) if total else 1.0,
                            on_sale=len(prices), parent=self.window)
        accepted = self.window.show_dialog(dialog) == QDialog.DialogCode.Accepted
        return dialog.options() if accepted else None

    def open(self, round_: RatingRound) -> None:
        """Setup > Open to the room…: ask how, then open it."""
        if self.window.document.room_file() is None:
            self.session.setup.problem.setText(
                "This workshop is open read-only, so the room's ratings could not be kept; use Save As first.")
            return
        options = self.ask_options(round_)
        if options is not None:
            self.start(round_, options)

    def start(self, round_: RatingRound, options: RoomOptions, port: int = PREFERRED_PORT) -> None:
        """Open the room for `round_` (or a budget vote over its initiatives) on `options.host`."""
        self.shutdown("")
        doc = self.window.document
        file = doc.room_file()
        try:
            if options.kind == BUDGET:
                prices = prices_of(doc.workshop.portfolio, round_.initiatives)
                vote = BudgetVote.start(prices, options.budget)
                room = Room(vote=vote, titles=self.session_titles(round_.initiatives),
                            idle_seconds=options.idle_minutes * 60)
            else:
                room = Room(round_=round_, titles=self.session_titles(round_.initiatives),
                            words=self._words(round_.criteria), roles=options.roles,
                            idle_seconds=options.idle_minutes * 60)
            if options.kind == BUDGET:
                file.keep_budget_vote_in_progress(vote.to_dict())
                record = _vote_record
            else:
                self.session.hold(round_)  # the round in progress: kept in the file as today
                record = _round_record(round_)
                file.keep_round_in_progress(record(None, ()), keep_additions=True)
        except CutlineError as exc:  # no initiative on sale, or the file cannot be written
            self.session.setup.problem.setText(exc.describe())
            return
        self.room, self.base, self.options = room, round_, options
        self.votes.forget()
        self.ledger = RoomLedger(file.path, room, record, self.changed.emit)
        try:
            self.server = self._listen(room, options.host, port)
        except OSError as exc:
            self._not_opened(room, f"The room could not open on {options.host}: {exc.strerror or exc}. "
                                   "Choose another address.")
            return
        doc.fileAttached.connect(self._on_file_moved)
        self._watched = doc
        self._show_join()
        self._idle.start()

    def _not_opened(self, room: Room, problem: str) -> None:
        """Nothing listens: forget the round just kept, and say why on the setup."""
        self.ledger.close()
        self.room = self.ledger = None
        if room.kind == BUDGET:
            self.window.document.room_file().keep_budget_vote_in_progress(None)
        else:
            self.session.hold(None)
        self.session.show_page(self.session.setup)
        self.session.setup.problem.setText(problem)

    def _listen(self, room: Room, host: str, port: int) -> RoomServer:
        # The web server (uvicorn, starlette: a tenth of a second to import) only when a room opens.
        from cutline.app.room.server import RoomServer

        try:
            server = RoomServer(room, self.ledger, host, port)
        except OSError:
            if not port:
                raise
            server = RoomServer(room, self.ledger, host, 0)  # the preferred port is taken
        server.start()
        return server

    def show_demo(self, room: Room, host: str, port: int) -> None:
        """A made-up room for a screenshot: shown, never served and never kept in the file."""
        self.shutdown("")
        self.session.demo = True
        self.room = room
        self._show_join(host, port)

    def _show_join(self, host: str | None = None, port: int | None = None) -> None:
        from cutline.app.room.server import join_address

        room = self.room
        host = self.server.host if host is None else host
        port = self.server.port if port is None else port
        address = join_address(host, port)
        url = join_address(host, port, room.code)
        self.join.set_room(address, readable_code(room.code), url, budget=room.kind == BUDGET,
                           idle_minutes=int(room.idle_seconds // 60))
        self.join.show_problem("")
        self.overlay.set_room(address, readable_code(room.code), url)
        self.refresh()
        self.session.away = self.join
        self.session.show_page(self.join)

    # -- following ------------------------------------------------------------------------------
    def _soon(self) -> None:
        if not self._refresh.isActive():
            self._refresh.start()

    def refresh(self) -> None:
        """The join screen catches up: who joined and how far each is (never what they rated)."""
        room = self.room
        if room is None:
            return
        rows = []
        for name, role, done, of in room.progress():
            progress = (f"{done} of {of} rated" if room.kind == RATING
                        else f"{done} bought" if done else "nothing bought yet")
            rows.append((name, role, progress))
        finished = sum(1 for _, _, done, of in room.progress() if of and done == of)
        people = len(rows)
        summary = (f"{people} joined" + (f", {finished} finished" if room.kind == RATING else "")
                   if people else "Nobody has joined yet.")
        self.join.set_progress(rows, summary)
        self.overlay.set_summary(summary)

    def remove(self, name: str) -> None:
        """Take `name` out of the room: their device is refused from now on, their ratings dropped."""
        room = self.room
        if room is None:
            return
        room.remove_participant(name)  # their token stops working at once
        if self.ledger is not None:
            # the file forgets them in the ledger's turn: a write of the window's own could cross
            # one of the ledger's (a purchase, someone joining) and put them back in the file
            try:
                self.ledger.submit(Remove(name)).result(timeout=REMOVE_WAIT)
            except RoomRefused as refused:  # out of the room all the same; the file says so on reopening
                cause = refused.__cause__
                words = cause.describe() if isinstance(cause, CutlineError) else refused.message
                self.join.show_problem(f"{name} is out of the room, but the workshop file could not be "
                                       f"updated: {words}")
            except TimeoutError:
                self.join.show_problem(f"{name} is out of the room; the workshop file is busy and will "
                                       "forget them in a moment.")
        self.window.tell(f"{name} was taken out of the round; their answers were dropped.")
        self.refresh()

    def _check_idle(self) -> None:
        if self.room is not None and self.room.is_idle():
            minutes = int(self.room.idle_seconds // 60)
            self.close_round(reveal=False)
            self.window.tell(f"The room closed after {minutes} minutes without activity; "
                             "every saved answer is kept.")

    def _on_file_moved(self) -> None:
        """Save As while the room is open: the room goes on writing in the new file, which gets
        everything saved so far (the setup's record alone would have replaced it)."""
        file = self.window.document.room_file()
        if self.ledger is None or file is None:
            return
        self.ledger.move_to(file.path)
        try:
            if self.room.kind == BUDGET:
                file.keep_budget_vote_in_progress(self.room.vote.to_dict())
            else:
                file.keep_round_in_progress({**self.room.rating_round(self.base).to_dict(),
                                             "opened_to_room": True}, keep_additions=True)
        except CutlineError as exc:
            self.join.show_problem(f"The new file could not take the room's answers yet: {exc.describe()}")

    # -- closing --------------------------------------------------------------------------------
    def _stop(self) -> None:
        """Stop listening and write what is waiting; the room's answers stay in memory."""
        self._idle.stop()
        if self.room is not None:
            self.room.state = "closed"
        if self.ledger is not None:
            self.ledger.close()
        if self.server is not None:
            self.server.stop()
        if self._watched is not None:
            try:
                self._watched.fileAttached.disconnect(self._on_file_moved)
            except (RuntimeError, TypeError):
                pass  # the document is gone already
            self._watched = None
        self.server = self.ledger = None
        self.overlay.set_room("", "", "")

    def close_round(self, reveal: bool = True) -> None:
        """Close and reveal (a rating round) or close the vote (a budget vote)."""
        room = self.room
        if room is None:
            return
        self._stop()
        self.room = None
        self.session.away = None
        if room.kind == BUDGET:
            self.votes.show(room.vote)
            return
        round_ = room.rating_round(self.base)
        session = self.session
        if not round_.participants:  # nobody joined, or everyone was taken out: nothing to keep
            session.hold(None)
            session.show_page(session.setup)
            session.setup.problem.setText("Nobody is left in the room's round; it was closed.")
            return
        session.take_over(round_)  # the whole round in one record, as a round rated on this laptop
        if reveal and round_.ratings:
            session.reveal_round(ask=False)
        else:
            session.show_page(session.grid)
            if not round_.ratings:
                session.grid.show_problem("Nobody rated in the room; the round is on this laptop now.")

    def stop_sharing(self) -> None:
        """Close the room but keep the round: the rest is rated on this laptop."""
        self.close_round(reveal=False)

    def shutdown(self, reason: str) -> None:
        """The window closes or the workshop changes: stop the room without touching the round."""
        if self.room is None:
            return
        self._stop()
        self.room = None
        self.session.away = None
        if reason:
            self.window.tell(f"{reason} The room was closed; every saved answer is in the workshop file.")

    def _on_document(self, document) -> None:
        """Another workshop: the room closes; a budget vote kept in the new one shows its result."""
        self.shutdown("The workshop changed.")
        self.votes.resume(document)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close and self.room is not None:
            QTimer.singleShot(0, self._after_close)  # the close may still be refused (unsaved changes)
        return False

    def _after_close(self) -> None:
        if not self.window.isVisible():
            self.shutdown("")

    # -- helpers --------------------------------------------------------------------------------
    def session_titles(self, ids) -> dict[str, str]:
        portfolio = self.window.document.workshop.portfolio
        rows, titles = portfolio.row_of_id, portfolio.text("title")
        return {i: str(titles[rows[i]]) for i in ids if i in rows}

    def _words(self, criteria) -> dict:
        """The current model's value maps for the rated criteria's columns, if any."""
        maps = self.window.document.workshop.current_scenario().model.value_maps
        out = {}
        for criterion in criteria:
            words = maps.for_column(criterion)
            if words:
                out[criterion] = dict(words.items())
        return out

    def _on_looks(self) -> None:
        self.join.apply_look()
        self.votes.view.apply_look()


def _round_record(base: RatingRound):
    """The rating round's record for the people now in the room (their ratings are kept beside it)."""
    def record(room: Room | None, people: tuple) -> dict:
        data = base.to_dict()
        data["participants"] = list(base.participants) + [p for p in people if p not in base.participants]
        data["opened_to_room"] = True
        return data
    return record


def _vote_record(room: Room, people: tuple) -> dict:
    vote = room.vote
    for name in people:
        if name not in vote.participants:
            vote = vote.with_participant(name)
    return vote.to_dict()
