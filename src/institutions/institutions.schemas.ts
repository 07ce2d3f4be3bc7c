import { z } from 'zod';
import { SERVICES } from '../domain/vocabulary.js';
import { Id, RegionCode, Text, Timestamp } from '../http/schemas.js';

export const ServiceList = z
  .array(z.enum(SERVICES))
  .min(1)
  .refine((services) => new Set(services).size === services.length, 'a service is listed twice');

export const BankAccount = z
  .object({
    bank: Text(100),
    accountName: Text(100),
    // Clerks copy account numbers as the bank prints them, in groups: "6217 0000 1111 2222".
    accountNumber: z
      .string()
      .transform((value) => value.replace(/[\s-]/g, ''))
      .pipe(z.string().regex(/^\d{6,32}$/, 'an account number of 6 to 32 digits (spaces and dashes are removed) / 银行账号为 6 至 32 位数字（空格、短横线会自动去掉）'))
      .meta({ description: 'Digits; spaces and dashes between groups are removed' }),
  })
  .strict();

export const CreateInstitutionBody = z
  .object({
    code: z.string().trim().min(1).max(50),
    name: Text(100),
    regionCode: RegionCode,
    services: ServiceList.meta({ description: 'The services the institution is designated for' }),
    bankAccount: BankAccount,
  })
  .strict();
export type CreateInstitutionBody = z.infer<typeof CreateInstitutionBody>;

export const UpdateInstitutionBody = z
  .object({
    name: Text(100).optional(),
    services: ServiceList.optional().meta({ description: 'The services the institution is designated for from now on' }),
    bankAccount: BankAccount.optional().meta({
      description: 'Asks to pay this account from now on: pending until another admin confirms it (POST /institutions/:id/bank-account/confirm); until then payments and new batches keep the old account; issued batches keep theirs',
    }),
  })
  .strict()
  .refine((body) => body.name !== undefined || body.services !== undefined || body.bankAccount !== undefined, 'give at least one of name, services, bankAccount');
export type UpdateInstitutionBody = z.infer<typeof UpdateInstitutionBody>;

export const InstitutionSchema = z.object({
  id: Id,
  code: z.string(),
  name: z.string(),
  regionCode: z.string(),
  services: z.array(z.enum(SERVICES)),
  bankAccount: z.object({ bank: z.string(), accountName: z.string(), accountNumber: z.string() }).meta({ description: 'The account payments and new batches go to' }),
  pendingBankAccount: z
    .object({
      bank: z.string(),
      accountName: z.string(),
      accountNumber: z.string(),
      requestedBy: z.object({ id: Id, name: z.string() }),
      requestedAt: Timestamp,
    })
    .nullable()
    .meta({ description: 'A change of the account one admin asked for, waiting for another admin to confirm it' }),
  createdAt: Timestamp,
});
