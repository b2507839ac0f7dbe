-- The reliability of grades (Krippendorff's alpha, weighted kappa) is flagged below this share; stored beside the audit's
-- other thresholds. Audits that existed before read 0.67.
ALTER TABLE audits ADD COLUMN reliability_threshold DOUBLE PRECISION NOT NULL DEFAULT 0.67
    CHECK (reliability_threshold BETWEEN 0 AND 1);
