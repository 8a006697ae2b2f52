-- Events recorded from here on keep their objects as the domain encodes
-- them (snapshot) and are rendered when read; renderings is then empty.
-- Older events keep their renderings.
ALTER TABLE events ADD COLUMN snapshot TEXT;
