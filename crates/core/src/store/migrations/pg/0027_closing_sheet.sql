-- Version 27 (see the SQLite migration of the same number): the daily closing sheet's kind.

ALTER TABLE form_print
    DROP CONSTRAINT form_print_kind_check,
    ADD CONSTRAINT form_print_kind_check CHECK (kind IN ('receipt', 'collection', 'notice',
        'refusal', 'guide', 'decision', 'extension', 'suspension', 'pledge', 'handover',
        'staffing', 'closing'));
