/** One workspace fact in workspace_meta (its id, name, whether it is the demo…). */
import type { Store } from './database';
import { workspaceMetaTable } from './schema';

export function setWorkspaceMeta(store: Store, key: string, value: string): void {
  store.db
    .insert(workspaceMetaTable)
    .values({ key, value })
    .onConflictDoUpdate({ target: workspaceMetaTable.key, set: { value } })
    .run();
}
