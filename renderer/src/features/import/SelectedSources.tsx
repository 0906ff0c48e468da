import { Icon } from '../../components/Icon';
import { formatCount } from '../../lib/format';
import type { ImportSource } from './files';
import { formatBytes, shownPath } from './format';

export interface SelectedSourcesProps {
  sources: readonly ImportSource[];
  onRemove: (path: string) => void;
  onClear: () => void;
  disabled?: boolean;
}

/** The files and folders chosen so far, each removable. */
export function SelectedSources({ sources, onRemove, onClear, disabled = false }: SelectedSourcesProps) {
  if (sources.length === 0) return null;
  return (
    <div className="selected-sources">
      <div className="detail-section-header">
        <h3 className="detail-heading">
          Chosen ({formatCount(sources.length)} {sources.length === 1 ? 'item' : 'items'})
        </h3>
        <button type="button" className="link-button link-accent" onClick={onClear} disabled={disabled}>
          Clear all
        </button>
      </div>
      <ul className="source-list" aria-label="Chosen files and folders" data-testid="import-sources">
        {sources.map((source) => (
          <li key={source.path} className="source-item" data-testid="import-source" data-path={source.path}>
            <Icon name={source.kind === 'folder' ? 'folder' : 'file'} size={14} />
            <span className="source-label">{source.label}</span>
            {shownPath(source.path) !== source.label && (
              <span className="source-path mono muted" title={shownPath(source.path)}>
                {shownPath(source.path)}
              </span>
            )}
            <span className="source-size muted num">
              {source.kind === 'folder'
                ? source.files === null
                  ? ''
                  : `${formatCount(source.files)} ${source.files === 1 ? 'file' : 'files'}`
                : source.size === null
                  ? ''
                  : formatBytes(source.size)}
            </span>
            <button
              type="button"
              className="icon-button"
              onClick={() => onRemove(source.path)}
              disabled={disabled}
              aria-label={`Remove ${source.label}`}
              title="Remove"
            >
              <Icon name="close" size={14} />
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
