"""The Redis cache keeps one client per server instead of one per operation.

Building the client object is all this backend changes; nothing here needs a
running Redis, since a client connects only when it sends a command.
"""

from lms.redis_cache import RedisCache


def backend(location):
    return RedisCache(location, {})._cache


def test_every_operation_uses_the_same_client():
    cache = backend("redis://127.0.0.1:6379/15")
    clients = {
        id(cache.get_client("a")),
        id(cache.get_client("b", write=True)),
        id(cache.get_client(None)),
    }
    assert len(clients) == 1


def test_writes_go_to_the_first_server_and_reads_to_the_replica():
    cache = backend("redis://primary.test:6379/0,redis://replica.test:6379/0")
    writer = cache.get_client("a", write=True)
    reader = cache.get_client("a")
    assert writer is not reader
    assert writer.connection_pool.connection_kwargs["host"] == "primary.test"
    assert reader.connection_pool.connection_kwargs["host"] == "replica.test"
    assert cache.get_client("b", write=True) is writer
    assert cache.get_client("b") is reader
