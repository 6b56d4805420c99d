// The one error type the data layer throws. It carries a code the UI can act on (offer a
// retry, point at the install step) and the file name, because "which file?" is the first
// question anyone asks about bad data.

import type { TrainerErrorCode } from '../shared/trainer-api';

export type DataFileErrorCode = Extract<TrainerErrorCode, 'data-missing' | 'data-corrupt' | 'data-network'>;

export class DataFileError extends Error {
  override readonly name = 'DataFileError';
  readonly code: DataFileErrorCode;
  readonly file: string;

  constructor(code: DataFileErrorCode, file: string, message: string) {
    super(message);
    this.code = code;
    this.file = file;
  }
}

/** 10008 → "10,008": byte counts in messages are read by people. Locale-independent on purpose. */
export function formatCount(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
