"""Moving the test database to a point in the migration history, for tests of what a migration does to old rows."""

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets: list[tuple[str, str | None]] | None = None) -> Apps:
    """Migrate to `targets` (every app's latest migration when None) and return the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state([node for node in targets if node[1]]).apps
