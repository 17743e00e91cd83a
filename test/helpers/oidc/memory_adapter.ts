import type { Adapter, AdapterPayload } from 'oidc-provider';

/**
 * Returns a factory of Map-backed oidc-provider adapters for one provider instance. oidc-provider's own memory adapter
 * would work too, but it prints a production warning on every start and is shared by all
 * providers in the process.
 */
export function memoryAdapterFactory(): (model: string) => Adapter {
  const store = new Map<string, { payload: AdapterPayload; expiresAtMs: number }>();

  return (model: string): Adapter => {
    const key = (id: string): string => `${model}:${id}`;
    const live = (entryKey: string): AdapterPayload | undefined => {
      const entry = store.get(entryKey);
      if (entry === undefined || entry.expiresAtMs <= Date.now()) return undefined;
      return entry.payload;
    };
    const findWhere = (field: string, value: string): AdapterPayload | undefined => {
      for (const [entryKey, entry] of store) {
        if (entryKey.startsWith(`${model}:`) && entry.payload[field] === value) {
          return live(entryKey);
        }
      }
      return undefined;
    };

    return {
      upsert: (id, payload, expiresIn) => {
        store.set(key(id), { payload, expiresAtMs: Date.now() + expiresIn * 1000 });
        return Promise.resolve();
      },
      find: (id) => Promise.resolve(live(key(id))),
      findByUid: (uid) => Promise.resolve(findWhere('uid', uid)),
      findByUserCode: (userCode) => Promise.resolve(findWhere('userCode', userCode)),
      consume: (id) => {
        const payload = live(key(id));
        if (payload !== undefined) payload.consumed = Math.floor(Date.now() / 1000);
        return Promise.resolve();
      },
      destroy: (id) => {
        store.delete(key(id));
        return Promise.resolve();
      },
      revokeByGrantId: (grantId) => {
        for (const [entryKey, entry] of store) {
          if (entry.payload.grantId === grantId) store.delete(entryKey);
        }
        return Promise.resolve();
      },
    };
  };
}
