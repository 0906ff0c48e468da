import { z } from 'zod';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

export const ThemePreferenceSchema = z.enum(['system', 'light', 'dark']);
export type ThemePreference = z.infer<typeof ThemePreferenceSchema>;
export type ResolvedTheme = 'light' | 'dark';

interface ThemeState {
  theme: ThemePreference;
  setTheme: (theme: ThemePreference) => void;
}

const PersistedThemeSchema = z.object({ theme: ThemePreferenceSchema });

/** The user's theme choice, kept in localStorage; 'system' follows the OS. */
export const useTheme = create<ThemeState>()(
  persist(
    (set) => ({
      theme: 'system',
      setTheme: (theme) => set({ theme }),
    }),
    {
      name: 'valdrix.theme',
      version: 1,
      storage: createJSONStorage(() => window.localStorage),
      partialize: (state) => ({ theme: state.theme }),
      // localStorage is outside our control: keep the default rather than trust a malformed value.
      merge: (persisted, current) => {
        const parsed = PersistedThemeSchema.safeParse(persisted);
        return parsed.success ? { ...current, theme: parsed.data.theme } : current;
      },
    },
  ),
);

const DARK_QUERY = '(prefers-color-scheme: dark)';

export function resolveTheme(theme: ThemePreference, prefersDark: boolean): ResolvedTheme {
  if (theme === 'system') return prefersDark ? 'dark' : 'light';
  return theme;
}

/**
 * Applies the theme as `data-theme` on <html> now and whenever the choice or the OS preference changes.
 * Call once before the first render so the page never flashes the wrong theme. Returns an uninstaller.
 */
export function installTheme(root: HTMLElement = document.documentElement): () => void {
  const media = window.matchMedia(DARK_QUERY);
  const apply = () => {
    const { theme } = useTheme.getState();
    const resolved = resolveTheme(theme, media.matches);
    root.dataset.theme = resolved;
    root.dataset.themePreference = theme;
    root.style.colorScheme = resolved;
  };
  apply();
  const unsubscribe = useTheme.subscribe(apply);
  media.addEventListener('change', apply);
  return () => {
    unsubscribe();
    media.removeEventListener('change', apply);
  };
}
