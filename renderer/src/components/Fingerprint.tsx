import { Fragment, type HTMLAttributes } from 'react';
import { fingerprintBlocks } from '../lib/format';

export interface FingerprintProps extends Omit<HTMLAttributes<HTMLSpanElement>, 'children'> {
  /** Raw hex, e.g. a SHA-256 of a public key. */
  value: string;
}

/**
 * A key fingerprint in monospace blocks of four, so two people can read it aloud and compare it block by
 * block. Copying the text yields the blocks separated by spaces; the raw value is in `data-fingerprint`.
 */
export function Fingerprint({ value, className, ...rest }: FingerprintProps) {
  return (
    <span className={className ? `fingerprint ${className}` : 'fingerprint'} data-fingerprint={value} {...rest}>
      {fingerprintBlocks(value).map((block, index) => (
        <Fragment key={index}>
          {index > 0 && ' '}
          <span className="fingerprint-block">{block}</span>
        </Fragment>
      ))}
    </span>
  );
}
