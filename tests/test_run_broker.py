"""`vigil run --broker`: followed records go to the Redis stream; a worker stores them; nothing is stored twice."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import redis

from vigil.broker import BrokerConfig, Worker
from vigil.serve.app import serve_state
from vigil.serve.auth import add_user, create_token
from vigil.serve.inprocess import request
from vigil.serve.run import plan_run
from vigil.serve.settings import Settings
from vigil.store import open_store

if TYPE_CHECKING:
    from servers import RedisServer

pytest_plugins = ["servers"]


def test_run_publishes_followed_records_and_a_worker_stores_them(tmp_path: Path, redis_server: RedisServer) -> None:
    client = redis.Redis.from_url(redis_server.url)
    client.delete(BrokerConfig().stream)
    feed = tmp_path / "stream.jsonl"
    lines = [json.dumps({"id": str(7000 + i), "text": f"convoy update {i}", "author_id": "1",
                         "author": {"username": "relay", "name": "Relay"},
                         "created_at": f"2025-02-07T10:{i:02d}:00Z"}) for i in range(30)]
    feed.write_text("\n".join(lines) + "\n{broken\n")
    db = tmp_path / "live.db"
    plan = plan_run(str(db), [str(feed)], settings=Settings.load({}), broker=redis_server.url,
                    spill=str(tmp_path / "spill.jsonl"))
    state = serve_state(plan.app)
    state.live.step()
    assert state.pipeline.published == 31  # 30 messages and the broken line (a reject, quarantined by workers)
    with open_store(db) as store:
        assert store.count_messages() == 0  # nothing stored by the publishing process itself
        worker = Worker(redis_server.url, store, stages=[])
        for _ in range(20):
            if worker.step() == 0:
                break
        assert store.count_messages() == 30
        assert store.count_rejects() == 1
        state.live.step()  # a second pass publishes nothing new: the follower remembers its offset
        assert state.pipeline.published == 31
    state.pipeline.close()
    client.delete(BrokerConfig().stream)


def test_dead_letters_are_visible_in_the_api(tmp_path: Path, redis_server: RedisServer) -> None:
    config = BrokerConfig()
    client = redis.Redis.from_url(redis_server.url)
    client.delete(config.dead_stream)
    client.xadd(config.dead_stream, {"original_id": "1-0", "message_id": "x:666", "error": "ValueError: boom",
                                     "crashes": "2", "consumer": "w1", "at": "2025-02-07T10:00:00Z", "d": b"{}"})
    db = tmp_path / "api.db"
    with open_store(db) as store:
        add_user(store, "root", "a long enough password", role="admin")
        token = create_token(store, "root")
    with_broker = request(str(db), "/api/dead-letters", token=token,
                          settings=Settings.load({}, broker=redis_server.url))
    assert with_broker.status == 200, with_broker.body
    data = json.loads(with_broker.body)["data"]
    assert data["dead_letters"][0]["message_id"] == "x:666" and "boom" in data["dead_letters"][0]["error"]
    assert data["stream"]["dead_letters"] == 1
    without = json.loads(request(str(db), "/api/dead-letters", token=token).body)["data"]
    assert without["broker"] is None and without["dead_letters"] == []
    client.delete(config.dead_stream)
