-- Every URL Marsad already holds (an article's URLs and every stored raw page): never fetched again.
select url from article_urls
union
select url from raw_pages;
