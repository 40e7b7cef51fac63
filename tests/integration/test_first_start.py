"""The first start on an empty database creates the schema and loads the demonstration data by itself."""

from dashboard.config import Settings
from dashboard.store import repository, schema
from dashboard.store.engine import get_engine
from dashboard.webapp import create_app


def test_first_start_prepares_an_empty_database(empty_url):
    app = create_app(Settings(database_url=empty_url, log_level="WARNING"))
    engine = get_engine(empty_url)
    assert schema.is_up_to_date(engine)
    assert repository.read_meta(engine)["dataset"] == "demo"
    first = repository.ping(engine)
    assert first > 50_000
    # A second start (another worker, or a restart) changes nothing.
    create_app(Settings(database_url=empty_url, log_level="WARNING"))
    assert repository.ping(engine) == first
    assert app.server.test_client().get("/health").status_code == 200


def test_auto_seed_can_be_switched_off(empty_url):
    create_app(Settings(database_url=empty_url, auto_seed_demo=False, log_level="WARNING"))
    engine = get_engine(empty_url)
    assert schema.is_up_to_date(engine)
    assert repository.ping(engine) == 0
    assert repository.read_meta(engine) == {}
