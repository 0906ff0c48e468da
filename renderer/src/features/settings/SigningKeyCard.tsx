import { useRouter } from '../../app/router';
import { Card } from '../../components/Card';
import { CopyButton } from '../../components/CopyButton';
import { Fingerprint } from '../../components/Fingerprint';
import { Icon } from '../../components/Icon';
import { useKeychain } from './queries';

export interface SigningKeyCardProps {
  /** PEM of the Ed25519 public key; null until the first audit export creates the key pair. */
  publicKey: string | null;
  /** SHA-256 of the public key, hex. */
  fingerprint: string | null;
}

/** The public half of the audit signing key: its fingerprint to read aloud, and the PEM to hand over. */
export function SigningKeyCard({ publicKey, fingerprint }: SigningKeyCardProps) {
  const navigate = useRouter((state) => state.navigate);
  const keychain = useKeychain();
  return (
    <Card
      title="Audit signing key"
      subtitle="Ed25519. The private key stays in the OS keychain; only the public key leaves this computer."
      data-testid="settings-signing-key"
    >
      {keychain.data && !keychain.data.available && (
        <div className="notice keychain-missing" role="status" data-testid="settings-no-keychain">
          <p>
            <strong>No OS keychain is available</strong>, so audit exports cannot be signed.
          </p>
          <p>{keychain.data.help}</p>
          <p>
            Until then, the Audit log can make an unsigned export: its hash chain still shows any change to the events,
            but nothing proves which workspace wrote it.
          </p>
          {keychain.data.problem && (
            <p className="muted mono break" data-testid="settings-keychain-problem">
              {keychain.data.problem}
            </p>
          )}
        </div>
      )}
      {publicKey === null || fingerprint === null ? (
        <div className="signing-key-empty" data-testid="settings-no-key">
          <Icon name="key" size={20} />
          <div>
            <p>
              <strong>No key yet.</strong> Created with the first audit export.
            </p>
            <button type="button" className="link-button link-accent" onClick={() => navigate('audit')}>
              Open the Audit log to export
            </button>
          </div>
        </div>
      ) : (
        <div className="signing-key">
          <section className="detail-section">
            <h3 className="detail-heading">Fingerprint (SHA-256)</h3>
            <Fingerprint value={fingerprint} className="fingerprint-large" data-testid="settings-fingerprint" />
            <p className="muted">
              Auditors compare this fingerprint with the one <code>valdrix audit verify</code> prints.
            </p>
          </section>
          <section className="detail-section">
            <div className="detail-section-header">
              <h3 className="detail-heading">Public key (PEM)</h3>
              <CopyButton text={publicKey} ariaLabel="Copy the public key" testId="settings-copy-key" />
            </div>
            <pre className="code-block" data-testid="settings-public-key">
              {publicKey.trimEnd()}
            </pre>
          </section>
        </div>
      )}
    </Card>
  );
}
